using System.Diagnostics;
using System.Globalization;
using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Benchmarks.Sftp;

/// <summary>
/// SFTP pickup through the hub's inbound channel into a file-writing sink, timed; run by run-sftp.sh beside
/// OpenSSH's sftp client (not a BenchmarkDotNet class: one pass over 1 GB is the measurement). The channel factory is
/// found by name so this file also compiles inside the benchmark project, which does not reference the channels.
/// </summary>
public static class SftpPickup
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        var factoryType = Type.GetType("CrossBorderHub.Channels.Sftp.SftpChannelFactory, CrossBorderHub.Channels", throwOnError: true)!;
        var factory = (IChannelFactory)Activator.CreateInstance(factoryType)!;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["In:Host"] = options["host"],
            ["In:Port"] = options["port"],
            ["In:Username"] = options["user"],
            ["In:PrivateKeyPath"] = options["key"],
            ["In:HostKeySha256"] = options["hostkey"],
            ["In:RemotePath"] = options["remote"],
            ["In:MinimumAge"] = "00:00:00",
            ["In:InstanceId"] = "bench",
            ["In:Parallelism"] = options.GetValueOrDefault("parallelism", "8"),
        }).Build();
        var settings = new ChannelSettings("BENCH", "Inbound", configuration.GetSection("In"),
            new ChannelContext(options["sink"], TimeProvider.System, NullLoggerFactory.Instance));
        var sink = new FileSink(options["sink"]);
        await using var channel = factory.CreateInbound(settings);
        var watch = Stopwatch.StartNew();
        var result = await channel.PollAsync(sink, CancellationToken.None);
        watch.Stop();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"files={result.Accepted} failed={result.Failed} bytes={sink.Bytes} seconds={watch.Elapsed.TotalSeconds:F3} peak_working_set_mb={process.PeakWorkingSet64 / 1048576.0:F0} allocated_mb={GC.GetTotalAllocatedBytes() / 1048576.0:F0}"));
        return result.Failed == 0 ? 0 : 1;
    }

    /// <summary>Streams each file to disk with a fixed buffer (like the blob store, minus the fsync), never holding it whole.</summary>
    private sealed class FileSink(string folder) : IInboundSink
    {
        private int _sequence;
        private long _bytes;

        /// <summary>Pickups run in parallel: counted atomically.</summary>
        public long Bytes => Interlocked.Read(ref _bytes);

        public async Task<AcceptResult> AcceptAsync(InboundOrigin origin, Stream content, CancellationToken cancellationToken)
        {
            var path = Path.Combine(folder, $"{Interlocked.Increment(ref _sequence):D6}.bin");
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            await content.CopyToAsync(file, 1 << 20, cancellationToken);
            Interlocked.Add(ref _bytes, file.Length);
            return new AcceptResult(path, false);
        }
    }
}
