using Followup.Host.Hosting;
using Followup.Host.Security;
using Followup.Host.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Cli;

/// <summary>
/// <c>users</c>: staff accounts from the command line, on the database the host's configuration names (environment,
/// appsettings) — how the first manager of a production install is made. A password is read from standard input
/// (<c>--password-stdin</c>) or the environment variable <c>FOLLOWUP_PASSWORD</c>, never from the command line, so it
/// stays out of the shell's history and the process list. Bad input prints why and exits with 2, changing nothing.
/// </summary>
public static class UsersCommand
{
    public const string PasswordVariable = "FOLLOWUP_PASSWORD";
    private const int BadInput = 2;

    private const string Usage = """
        usage:
          Followup.Host users add <user-name> --role Manager|Advisor|Technician|TechnicalLead|CallbackAgent [--display-name <name>] [--language zh-CN|en] [--password-stdin]
          Followup.Host users set-password <user-name> [--password-stdin]
          Followup.Host users disable <user-name>
          Followup.Host users enable <user-name>
          Followup.Host users list
        The password comes from standard input with --password-stdin, or from the environment variable FOLLOWUP_PASSWORD.
        """;

    public static bool IsVerb(string[] args) => args.Length > 0 && args[0] == "users";

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        Request request;
        try
        {
            request = Request.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}\n{Usage}");
            return BadInput;
        }
        string? password = null;
        if (request.Action is "add" or "set-password")
        {
            password = request.PasswordFromStdin ? (await stdin.ReadLineAsync())?.TrimEnd('\r', '\n') : Environment.GetEnvironmentVariable(PasswordVariable);
            if (string.IsNullOrEmpty(password))
            {
                await stderr.WriteLineAsync($"error: no password: give it on standard input with --password-stdin, or in {PasswordVariable} (never on the command line)");
                return BadInput;
            }
        }

        var builder = Hosting.FollowupHosting.CreateBuilder([]);
        builder.Logging.ClearProviders();
        builder.AddFollowup();
        await using var app = builder.Build();
        await app.Services.InitializeStaffAsync(seedDemoUsers: false, CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var environment = app.Environment.EnvironmentName;

        if (request.Action == "list")
        {
            foreach (var user in await users.Users.OrderBy(u => u.UserName).ToListAsync())
            {
                var roles = string.Join(",", await users.GetRolesAsync(user));
                var state = await users.IsLockedOutAsync(user) ? "disabled or locked" : "active";
                await stdout.WriteLineAsync($"{user.UserName}\t{roles}\t{state}\t{user.DisplayName}");
            }
            return 0;
        }

        var existing = await users.FindByNameAsync(request.UserName!);
        if (request.Action == "add")
        {
            if (existing != null)
            {
                await stderr.WriteLineAsync($"error: a user named '{request.UserName}' exists already; nothing was changed");
                return BadInput;
            }
            var refused = await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateAsync(request.UserName!, request.DisplayName, request.Language, [request.Role!], password!, "en");
            if (refused.Count > 0)
                return await RefusedAsync(stderr, refused);
            await stdout.WriteLineAsync($"user '{request.UserName}' added with the role {request.Role} ({environment})");
            return 0;
        }
        if (existing is null)
        {
            await stderr.WriteLineAsync($"error: there is no user named '{request.UserName}'");
            return BadInput;
        }
        var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
        var (errors, done) = request.Action switch
        {
            "set-password" => (await accounts.ResetPasswordAsync(request.UserName!, password!, "en"), $"the password of '{request.UserName}' was changed; the account is unlocked"),
            "disable" => (await accounts.SetDisabledAsync(request.UserName!, true, actor: "", "en"), $"'{request.UserName}' is disabled and signed out everywhere"),
            _ => (await accounts.SetDisabledAsync(request.UserName!, false, actor: "", "en"), $"'{request.UserName}' is enabled"),
        };
        if (errors.Count > 0)
            return await RefusedAsync(stderr, errors);
        await stdout.WriteLineAsync(done);
        return 0;
    }

    private static async Task<int> RefusedAsync(TextWriter stderr, Dictionary<string, string> errors)
    {
        foreach (var error in errors.Values)
            await stderr.WriteLineAsync($"error: {error}");
        await stderr.WriteLineAsync("nothing was changed");
        return BadInput;
    }

    private sealed record Request(string Action, string? UserName, string? Role, string? DisplayName, string Language, bool PasswordFromStdin)
    {
        public static Request Parse(string[] args)
        {
            if (args.Length < 2 || args[1] is not ("add" or "set-password" or "disable" or "enable" or "list"))
                throw new ArgumentException("say what to do: add, set-password, disable, enable or list");
            var action = args[1];
            var i = 2;
            string? name = null;
            if (action != "list")
            {
                if (args.Length < 3 || args[2].StartsWith("--", StringComparison.Ordinal))
                    throw new ArgumentException($"'users {action}' needs a user name");
                name = args[2];
                i = 3;
            }
            string? role = null, display = null, language = null;
            var stdin = false;
            for (; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--role" when action == "add": role = Value(); break;
                    case "--display-name" when action == "add": display = Value(); break;
                    case "--language" when action == "add": language = Value(); break;
                    case "--password-stdin" when action is "add" or "set-password": stdin = true; break;
                    case "--password" or "-p":
                        throw new ArgumentException("a password is never taken from the command line: use --password-stdin or " + PasswordVariable);
                    default: throw new ArgumentException($"unknown option '{args[i]}' for 'users {action}'");
                }
            }
            if (action == "add" && (role is null || !Roles.All.Contains(role)))
                throw new ArgumentException($"--role must be one of {string.Join(", ", Roles.All)}");
            if (name is { } n && (n.Length > 64 || n.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))))
                throw new ArgumentException("a user name is 1–64 letters, digits, '.', '_', '-' or '@'");
            if (language is not (null or "zh-CN" or "en"))
                throw new ArgumentException("--language must be zh-CN or en");
            return new Request(action, name, role, display, language ?? "zh-CN", stdin);
        }
    }
}
