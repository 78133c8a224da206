using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace Followup.Benchmarks;

/// <summary>
/// The designer's load in Debian's headless Chromium against a host process (Development, demo store): a manager signs
/// in and opens /designer/ in a fresh browser (cold: nothing cached), then opens it again (warm: the browser's cache).
/// Reports requests, bytes transferred (headers and encoded bodies) and the time until the definition list shows a row.
/// <c>designer [runs] [host dll] [Mbit/s]</c>: the link is throttled to 20 Mbit/s with 20 ms latency unless told 0; the host dll defaults to the one built beside this benchmark, so a build of an
/// earlier commit can be measured with this same harness.
/// </summary>
internal static class DesignerLoadBenchmark
{
    public static async Task RunAsync(int runs, string? hostDll, int megabits)
    {
        hostDll ??= Path.Combine(AppContext.BaseDirectory, "Followup.Host.dll");
        var package = FindDesignerPackage();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Console.WriteLine($"designer load, host {hostDll}, link {(megabits > 0 ? $"{megabits} Mbit/s with 20 ms latency" : "loopback, unthrottled")}");
        Console.WriteLine("run | cold requests | cold KiB | cold ms | warm requests | warm KiB | warm ms");
        for (var run = 1; run <= runs; run++)
        {
            using var host = await HostProcess.StartAsync(hostDll, package);
            await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(120_000);
            if (megabits > 0)
            {
                // A store's line to the host: Chromium throttles what goes over the wire (compressed bytes).
                var cdp = await context.NewCDPSessionAsync(page);
                await cdp.SendAsync("Network.enable");
                await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
                {
                    ["offline"] = false,
                    ["latency"] = 20,
                    ["downloadThroughput"] = megabits * 1_000_000 / 8,
                    ["uploadThroughput"] = megabits * 1_000_000 / 16,
                });
            }
            await page.GotoAsync(host.Address + "/account/login");
            await page.FillAsync("input[name=UserName]", "manager");
            await page.FillAsync("input[name=Password]", "manager-demo-2026");
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(u => !u.Contains("/account/login", StringComparison.Ordinal));
            var cold = await LoadAsync(page, host.Address);
            var warm = await LoadAsync(page, host.Address);
            Console.WriteLine($"{run} | {cold.Requests} | {cold.Bytes / 1024} | {cold.Milliseconds} | {warm.Requests} | {warm.Bytes / 1024} | {warm.Milliseconds}");
        }
    }

    private static async Task<(int Requests, long Bytes, long Milliseconds)> LoadAsync(IPage page, string address)
    {
        var responses = new List<IResponse>();
        void OnResponse(object? sender, IResponse response) => responses.Add(response);
        page.Response += OnResponse;
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(address + "/designer/");
        await page.GetByText("Satisfaction callback").First.WaitForAsync();
        var elapsed = watch.ElapsedMilliseconds;
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        page.Response -= OnResponse;
        long bytes = 0;
        foreach (var response in responses.ToList())
        {
            try
            {
                var sizes = await response.Request.SizesAsync();
                bytes += sizes.ResponseHeadersSize + sizes.ResponseBodySize;
                if (Environment.GetEnvironmentVariable("FOLLOWUP_BENCH_VERBOSE") == "1" && sizes.ResponseHeadersSize > 0)
                    Console.WriteLine($"  {response.Status} {sizes.ResponseHeadersSize + sizes.ResponseBodySize} {response.Url}");
            }
            catch (PlaywrightException)
            {
                // A request the page dropped has no sizes.
            }
        }
        return (responses.Count, bytes, elapsed);
    }

    private static string FindDesignerPackage()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Host", "designer", "node_modules", "@elsa-workflows", "elsa-studio-wasm");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException("The designer package is not installed (build src/Host first).");
    }

    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;
        private readonly string _folder;

        private HostProcess(Process process, string folder, string address) => (_process, _folder, Address) = (process, folder, address);

        public string Address { get; }

        public static async Task<HostProcess> StartAsync(string hostDll, string package)
        {
            var folder = Directory.CreateTempSubdirectory("followup-designer-bench").FullName;
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", [hostDll])
            {
                WorkingDirectory = Path.GetDirectoryName(hostDll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["Urls"] = $"http://127.0.0.1:{port}";
            start.Environment["ConnectionStrings__Followup"] = $"Data Source={Path.Combine(folder, "followup.db")}";
            start.Environment["Hangfire__Storage"] = "InMemory";
            start.Environment["Designer__Path"] = package;
            start.Environment["Storage__AttachmentsPath"] = Path.Combine(folder, "attachments");
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var address = $"http://127.0.0.1:{port}";
            using var http = new HttpClient();
            for (var i = 0; i < 600; i++)
            {
                try
                {
                    if ((await http.GetAsync(address + "/health/ready")).StatusCode == HttpStatusCode.OK)
                        return new HostProcess(process, folder, address);
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(100);
            }
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The host did not become ready within a minute.");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
