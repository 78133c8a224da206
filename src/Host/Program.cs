using Followup.Host.Cli;
using Followup.Host.Hosting;

if (CommandLine.IsVerb(args))
    return await CommandLine.RunAsync(args, Console.Out, Console.Error);
if (UsersCommand.IsVerb(args))
    return await UsersCommand.RunAsync(args, Console.In, Console.Out, Console.Error);

var builder = FollowupHosting.CreateBuilder(args);
builder.AddFollowup();

var app = builder.Build();
try
{
    await app.InitializeFollowupAsync();
}
catch (Exception ex) when (SettingsProblems.From(ex) is { Count: > 0 } problems)
{
    await Console.Error.WriteLineAsync($"Followup cannot start: {(problems.Count == 1 ? "a setting is" : "settings are")} wrong.");
    foreach (var problem in problems)
        await Console.Error.WriteLineAsync($"  {problem}");
    return 2;
}
app.MapFollowup();
await app.RunAsync();
return 0;

public partial class Program;
