using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Crm.Tests.Infrastructure;

/// <summary>
/// A tiny SMTP server on a loopback port that records every message it accepts, so tests see what a real mail client
/// (the e-mail channel plugin) sent. It can refuse a recipient for good (550) or turn it away for a number of tries (451).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _busy = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private Task _accepting = Task.CompletedTask;

    public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Data)
    {
        /// <summary>A header's value (unfolded), or null.</summary>
        public string? Header(string name) => Data.Split("\r\n").TakeWhile(l => l.Length > 0)
            .FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedMail> Received => _received.ToList();

    /// <summary>RCPT TO for this address answers 451 (try later) the next <paramref name="times"/> times.</summary>
    public void BusyFor(string address, int times) => _busy[address] = times;

    /// <summary>RCPT TO for this address answers 550 (no such mailbox) for good.</summary>
    public void Refuse(string address) => _refused[address] = true;

    public static SmtpSink Start()
    {
        var sink = new SmtpSink();
        sink._listener.Start();
        sink._accepting = sink.AcceptAsync();
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ESMTP");
            string? from = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250 sink");
                        break;
                    case "MAIL":
                        (from, to) = (Address(line), []);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        await writer.WriteLineAsync(Accept(Address(line), to));
                        break;
                    case "DATA" when to.Count > 0:
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } body && body != ".")
                        {
                            data.Append(body.StartsWith("..", StringComparison.Ordinal) ? body[1..] : body).Append("\r\n");
                        }

                        _received.Enqueue(new ReceivedMail(from ?? "", to.ToList(), data.ToString()));
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("503 no recipients");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default: // RSET, NOOP and anything else
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private string Accept(string address, List<string> to)
    {
        if (_refused.ContainsKey(address))
        {
            return "550 5.1.1 mailbox unavailable";
        }

        if (_busy.TryGetValue(address, out var left) && left > 0)
        {
            _busy[address] = left - 1;
            return "451 4.3.0 mailbox busy, try again later";
        }

        to.Add(address);
        return "250 OK";
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<');
        var end = line.IndexOf('>', start + 1);
        return start >= 0 && end > start ? line[(start + 1)..end] : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
