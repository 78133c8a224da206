using Followup.Host.Cli;
using Followup.Host.Hosting;

if (CommandLine.IsVerb(args))
    return await CommandLine.RunAsync(args, Console.Out, Console.Error);
if (UsersCommand.IsVerb(args))
    return await UsersCommand.RunAsync(args, Console.In, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.AddFollowup();

var app = builder.Build();
await app.InitializeFollowupAsync();
app.MapFollowup();
await app.RunAsync();
return 0;

public partial class Program;
