using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrossBorderHub.Channels.Tests.RabbitMq;

namespace CrossBorderHub.Channels.Tests.EndToEnd;

/// <summary>
/// Acceptance 5: the real hub process picks up an interchange CN dropped on SFTP and, by its routes, delivers it to
/// TH over RabbitMQ and to KR over FTPS, byte for byte, and removes it from the SFTP folder.
/// </summary>
[NonParallelizable]
public sealed class TransportsEndToEndTests
{
    [Test]
    public async Task An_interchange_dropped_by_CN_on_SFTP_reaches_TH_over_RabbitMQ_and_KR_over_FTPS()
    {
        var hubDll = HubDll();
        var sshd = SshdServer.Shared;
        var ftp = VsftpdServer.Shared;
        var rabbit = RabbitMqServer.Shared;
        var drop = sshd.NewFolder("cn-drop");
        var krFolder = ftp.NewFolder("kr-in");
        var thQueue = "th-" + Guid.NewGuid().ToString("N")[..8];
        var folder = TestChannels.NewTempFolder("hub");
        var adminPort = FreePort.Next();

        var cn = Section(sshd.Settings(drop));
        cn["Schedule"] = "00:00:00.500";
        var th = Section(rabbit.Settings(thQueue));
        var kr = Section(ftp.Settings(krFolder));
        var configuration = new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft"] = "Warning", ["Quartz"] = "Warning" } },
            ["Hub"] = new JsonObject
            {
                ["DataRoot"] = Path.Combine(folder, "data"),
                ["InstanceName"] = "transports-e2e",
                ["Admin"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{adminPort}" },
                ["Processing"] = new JsonObject
                {
                    ["SchemasPath"] = Path.Combine(RepositoryRoot, "schemas"),
                    ["MappingsPath"] = Path.Combine(RepositoryRoot, "mappings"),
                    ["PollInterval"] = "00:00:00.200",
                },
                ["Delivery"] = new JsonObject { ["PollInterval"] = "00:00:00.200", ["InitialBackoff"] = "00:00:01", ["MaxAttempts"] = 5 },
                ["Partners"] = new JsonObject
                {
                    // The host (today) wants both sections on every partner: the unused ones are local folders.
                    ["CN"] = new JsonObject { ["Country"] = "CN", ["Identifiers"] = new JsonArray("CNSW"), ["Validation"] = "envelope", ["Inbound"] = cn, ["Outbound"] = LocalFolder("deliver/CN") },
                    ["TH"] = new JsonObject { ["Country"] = "TH", ["Identifiers"] = new JsonArray("THSW"), ["Validation"] = "envelope", ["Inbound"] = LocalFolder("drop/TH"), ["Outbound"] = th },
                    ["KR"] = new JsonObject { ["Country"] = "KR", ["Identifiers"] = new JsonArray("KRSW"), ["Validation"] = "envelope", ["Inbound"] = LocalFolder("drop/KR"), ["Outbound"] = kr },
                },
                ["Routes"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "Thailand and its copy to Korea", ["Recipient"] = "THSW", ["To"] = new JsonArray("TH", "KR") },
                },
            },
        };
        var configPath = Path.Combine(folder, "hub.json");
        await File.WriteAllTextAsync(configPath, configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var content = Encoding.ASCII.GetBytes(
            "UNA:+.? 'UNB+UNOC:3+CNSW:ZZ+THSW:ZZ+261123:1200+E2ETRANS1'UNH+1+CUSDEC:D:96B:UN'BGM+929+E2ETRANS1+9'" +
            "NAD+EX+++SHENZHEN EXPORT CO'UNT+4+1'UNZ+1+E2ETRANS1'\r\n");
        await LocalFolders.DropAsync(drop, "declaration.edi", content, TimeSpan.FromMinutes(5));

        var log = new StringBuilder();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder, UseShellExecute = false };
        foreach (var argument in new[] { hubDll, "run", "--config", configPath })
        {
            start.ArgumentList.Add(argument);
        }
        using var hub = Process.Start(start)!;
        hub.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        hub.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        hub.BeginOutputReadLine();
        hub.BeginErrorReadLine();
        try
        {
            var thMessages = new List<(string Name, string MessageId, byte[] Body, IDictionary<string, object?> Headers)>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && !(thMessages.Count > 0 && LocalFolders.CountDelivered(krFolder) > 0 && LocalFolders.Count(drop) == 0))
            {
                Assert.That(hub.HasExited, Is.False, () => $"the hub exited:\n{log}");
                thMessages.AddRange(await Queues.DrainAsync(thQueue));
                await Task.Delay(250);
            }
            string Log()
            {
                lock (log)
                {
                    return log.ToString();
                }
            }

            Assert.That(thMessages, Has.Count.EqualTo(1), Log);
            Assert.That(thMessages[0].Body, Is.EqualTo(content), "TH over RabbitMQ, byte for byte");
            Assert.That(Encoding.UTF8.GetString((byte[])thMessages[0].Headers["sender"]!), Is.EqualTo("CNSW"));
            Assert.That(Encoding.UTF8.GetString((byte[])thMessages[0].Headers["document-type"]!), Is.EqualTo("CUSDEC"));
            var krFiles = LocalFolders.Contents(krFolder);
            Assert.That(krFiles, Has.Count.EqualTo(1), Log);
            Assert.That(krFiles.Single().Key, Does.EndWith("declaration.edi").And.Not.StartWith("."));
            Assert.That(krFiles.Single().Value, Is.EqualTo(content), "KR over FTPS, byte for byte");
            Assert.That(LocalFolders.Count(drop), Is.Zero, "removed from CN's SFTP folder once stored");
        }
        finally
        {
            hub.Kill(entireProcessTree: true);
            await hub.WaitForExitAsync();
        }
    }

    private static JsonObject LocalFolder(string path) => new() { ["Type"] = "folder", ["Path"] = path, ["Schedule"] = "00:00:05" };

    private static JsonObject Section(Dictionary<string, string?> settings)
    {
        var section = new JsonObject();
        foreach (var (key, value) in settings.Where(kv => kv.Value is not null))
        {
            section[key] = value;
        }
        return section;
    }

    private static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CrossBorderHub.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("CrossBorderHub.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>hub.dll of this build configuration (this test project builds the host, without referencing it).</summary>
    private static string HubDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot, "src", "CrossBorderHub.Host", "bin", configuration, "net10.0", "hub.dll");
        Assert.That(File.Exists(path), Is.True, $"build the host first: {path} is missing");
        return string.Create(CultureInfo.InvariantCulture, $"{path}");
    }
}
