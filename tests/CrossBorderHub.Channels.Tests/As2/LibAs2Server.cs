using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>The libas2 receive script as a running server on a free loopback port; stopped by its process id.</summary>
internal sealed class LibAs2Server : IDisposable
{
    private readonly Process _process;

    private LibAs2Server(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public BlockingCollection<JsonObject> Received { get; } = new();

    public static LibAs2Server Start(object input)
    {
        var folder = LibAs2.Folder;
        As2TestEnvironment.RequireTool("node", "nodejs");
        var process = Process.Start(new ProcessStartInfo("node", "receive.js")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.StandardInput.Write(JsonSerializer.Serialize(input));
        process.StandardInput.Close();
        var first = process.StandardOutput.ReadLine();
        if (first is null)
        {
            Assert.Fail("libas2 receive.js did not start: " + process.StandardError.ReadToEnd());
        }
        var port = (int)JsonNode.Parse(first!)!["port"]!;
        var server = new LibAs2Server(process, new Uri($"http://127.0.0.1:{port}/as2"));
        _ = Task.Run(() =>
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null)
            {
                server.Received.Add(JsonNode.Parse(line)!.AsObject());
            }
        });
        return server;
    }

    public JsonObject Next()
    {
        Assert.That(Received.TryTake(out var line, TimeSpan.FromSeconds(30)), Is.True, "libas2 received nothing within 30 s");
        return line!;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
