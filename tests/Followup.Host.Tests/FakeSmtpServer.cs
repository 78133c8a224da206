using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Followup.Host.Tests;

/// <summary>
/// A mail server that takes a message's data and then, when told to, drops the connection instead of answering —
/// the moment where a sender cannot know whether the mail was accepted. It keeps every message it received.
/// </summary>
internal sealed partial class FakeSmtpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public FakeSmtpServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many of the next messages are taken and then left unanswered.</summary>
    public int DropAfterData { get; set; }

    public System.Collections.Concurrent.ConcurrentQueue<string> Received { get; } = new();

    public IEnumerable<string> MessageIds => Received.Select(m => MessageIdRegex().Match(m).Groups[1].Value);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake.smtp ready");
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250 fake.smtp");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                            data.AppendLine(dataLine);
                        Received.Enqueue(data.ToString());
                        if (DropAfterData > 0)
                        {
                            DropAfterData--;
                            return;
                        }
                        await writer.WriteLineAsync("250 accepted");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 ok");
                        break;
                }
            }
        }
    }

    [GeneratedRegex(@"Message-Id:\s*<([^>]+)>", RegexOptions.IgnoreCase)]
    private static partial Regex MessageIdRegex();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
