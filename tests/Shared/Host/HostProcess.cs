using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Followup.Testing;

/// <summary>
/// The real host as a separate process (<c>dotnet Followup.Host.dll</c> as the build copies it beside the tests or the
/// benchmarks), to stop gracefully, kill and start again. Testing environment and an API key unless the environment
/// given says otherwise.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    public const string ApiKey = "test-key-4f1c2a";

    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public HostProcess(string workingDirectory, Dictionary<string, string> environment)
    {
        WorkingDirectory = workingDirectory;
        _environment = environment;
        Port = FreePort();
        Api = new HttpClient { BaseAddress = new Uri(Address) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", ApiKey);
    }

    public string WorkingDirectory { get; }

    /// <summary>Changes a setting (an environment variable) for the next start; null removes it.</summary>
    public void Set(string key, string? value)
    {
        if (value is null)
            _environment.Remove(key);
        else
            _environment[key] = value;
    }

    /// <summary>Waits for the process to end by itself (a crash point killed it).</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        if (_process is null)
            return;
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
    }

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Runs a command of the host's executable (<c>users add …</c>) with this host's settings; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunCommandAsync(string? stdin, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostDll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        ApplyEnvironment(info);
        using var process = Process.Start(info)!;
        if (stdin != null)
            await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>A browser signed in through the login form, sending the page's antiforgery token with its changes.</summary>
    public Task<HttpClient> SignInAsync(string userName, string password, CookieContainer? cookies = null) =>
        SignInAsync(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer() }) { BaseAddress = Api.BaseAddress }, userName, password);

    /// <summary>
    /// Signs a client (one that keeps cookies and does not follow redirects) in through the login form, as a browser
    /// does, and has it send the signed-in page's antiforgery token with its changes.
    /// </summary>
    public static async Task<HttpClient> SignInAsync(HttpClient client, string userName, string password)
    {
        var login = await client.GetStringAsync("/account/login");
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(login),
            ["UserName"] = userName,
            ["Password"] = password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {userName} failed: {response.StatusCode}");
        client.DefaultRequestHeaders.Add(Followup.Host.Security.HttpSecurity.AntiforgeryHeader, AntiforgeryToken(await client.GetStringAsync("/")));
        return client;
    }

    public int Port { get; }

    /// <summary>Where the host listens, without a trailing slash.</summary>
    public string Address => $"http://127.0.0.1:{Port}";
    public HttpClient Api { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>The host as the build copies it beside the tests (its own runtimeconfig and deps files included).</summary>
    public static string HostDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "Followup.Host.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the host first.", dll);
        }
    }

    public async Task StartAsync()
    {
        lock (_output)
            _output.Clear();
        var dll = HostDll;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{Port}");
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(Path.GetDirectoryName(dll)!);
        ApplyEnvironment(info);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The host exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await Api.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The host did not become ready:\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGTERM, as a deployment or service manager stops the host; waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
            return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGKILL: the process dies at once, in the middle of whatever it does.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process)
            return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    private void ApplyEnvironment(ProcessStartInfo info)
    {
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Elsa__ApiKeys__0"] = ApiKey;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Followup"] = "Information";
        foreach (var (k, v) in _environment)
            info.Environment[k] = v;
    }

    /// <summary>The process's CPU time so far (zero once it has ended).</summary>
    public TimeSpan Cpu()
    {
        if (_process is not { HasExited: false } process)
            return TimeSpan.Zero;
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>The antiforgery token of a page's form, as a browser would post it back.</summary>
    public static string AntiforgeryToken(string page) => Token().Match(page).Groups[1].Value;

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Token();

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Api.Dispose();
    }
}
