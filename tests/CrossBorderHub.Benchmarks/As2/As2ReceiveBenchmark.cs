using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CrossBorderHub.Channels.As2;
using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Benchmarks.As2;

/// <summary>
/// AS2 receive throughput: 1,000 signed + encrypted 10 KB messages, and one signed + encrypted 100 MB message,
/// through <see cref="As2Receiver"/> into a sink that writes to disk (as the blob store does). Inputs are built once
/// in /tmp with .NET's CMS (AES-256-CBC, RSA 2048, SHA-256). Run: ./build.sh bench --filter '*As2Receive*'.
/// Prints messages/s, MB/s and the process's peak working set for the large message.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
[MemoryDiagnoser]
public class As2ReceiveBenchmark
{
    private string _folder = "";
    private X509Certificate2 _hub = null!;
    private X509Certificate2 _partner = null!;
    private byte[][] _small = [];
    private string _largePath = "";
    private As2Receiver _receiver = null!;
    private DiskSink _sink = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "xbh-as2-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(_folder);
        _hub = Identity("CN=bench hub");
        _partner = Identity("CN=bench partner");
        var payload = new byte[10 * 1024];
        Fill(payload);
        _small = Enumerable.Range(0, 1000).Select(_ => Build(payload)).ToArray();
        var large = new byte[100 * 1024 * 1024];
        Fill(large);
        _largePath = Path.Combine(_folder, "large.p7m");
        File.WriteAllBytes(_largePath, Build(large));
        large = [];
        // Give back what building the inputs took, so the receive's own working set is what gets measured.
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _sink = new DiskSink(Path.Combine(_folder, "store"));
        _receiver = new As2Receiver(new As2ReceiverOptions
        {
            HubIds = ["HUB"],
            HubCertificate = _hub,
            DataRoot = Path.Combine(_folder, "data"),
            MaxBodyBytes = 512L * 1024 * 1024,
            Partners = [new As2PartnerProfile { Partner = "CN", As2Id = "CN", TrustedCertificates = [_partner], RequireEncryption = true }],
        }, TimeProvider.System, NullLogger<As2Receiver>.Instance);
    }

    [Benchmark]
    public async Task Receive_1000_x_10KB()
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < _small.Length; i++)
        {
            var response = await _receiver.HandleAsync(Request(new MemoryStream(_small[i]), _small[i].Length), _sink, CancellationToken.None);
            Check(response);
        }
        watch.Stop();
        Console.WriteLine($"// AS2 1000 x 10 KB: {watch.Elapsed.TotalSeconds:F2} s, {1000 / watch.Elapsed.TotalSeconds:F0} messages/s, {1000 * 10.0 / 1024 / watch.Elapsed.TotalSeconds:F1} MB/s payload");
    }

    [Benchmark]
    public async Task Receive_1_x_100MB()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(10);
            }
        });
        var watch = Stopwatch.StartNew();
        await using (var body = File.OpenRead(_largePath))
        {
            Check(await _receiver.HandleAsync(Request(body, body.Length), _sink, CancellationToken.None));
        }
        watch.Stop();
        await stop.CancelAsync();
        await sampler;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Console.WriteLine($"// AS2 1 x 100 MB: {watch.Elapsed.TotalSeconds:F2} s, {100 / watch.Elapsed.TotalSeconds:F1} MB/s payload, working set {before / 1048576} MB before, peak {peak / 1048576} MB during (+{(peak - before) / 1048576} MB), managed allocations {allocated / 1048576} MB");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    private static void Check(As2Response response)
    {
        if (response.Status != 200 || !Encoding.ASCII.GetString(response.Body).Contains("; processed\r\n", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("not processed: " + Encoding.ASCII.GetString(response.Body));
        }
    }

    private static As2Request Request(Stream body, long length)
    {
        var headers = As2Request.NewHeaders();
        headers["Content-Type"] = "application/pkcs7-mime; smime-type=enveloped-data";
        headers["AS2-From"] = "CN";
        headers["AS2-To"] = "HUB";
        headers["Message-ID"] = $"<{Guid.NewGuid():N}@bench>";
        headers["Disposition-Notification-To"] = "bench";
        headers["Disposition-Notification-Options"] = "signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256";
        return new As2Request(headers, body, length);
    }

    /// <summary>Payload entity, multipart/signed around it, EnvelopedData around that: what a partner sends.</summary>
    private byte[] Build(byte[] payload)
    {
        var entity = Concat(Encoding.ASCII.GetBytes("Content-Type: application/edifact\r\nContent-Transfer-Encoding: binary\r\nContent-Disposition: attachment; filename=\"bench.edi\"\r\n\r\n"), payload);
        var cms = new SignedCms(new ContentInfo(entity), detached: true);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _partner) { DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1") });
        const string boundary = "bench-boundary-7d1f";
        var signed = Concat(Concat(
            Encoding.ASCII.GetBytes($"Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n"), entity),
            Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n{Convert.ToBase64String(cms.Encode(), Base64FormattingOptions.InsertLineBreaks)}\r\n--{boundary}--\r\n"));
        var enveloped = new EnvelopedCms(new ContentInfo(signed), new AlgorithmIdentifier(new Oid("2.16.840.1.101.3.4.1.42")));
        enveloped.Encrypt(new CmsRecipient(SubjectIdentifierType.IssuerAndSerialNumber, _hub));
        return enveloped.Encode();
    }

    private static X509Certificate2 Identity(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static void Fill(byte[] buffer)
    {
        // EDIFACT-like text, so compression-free but realistic bytes.
        var line = Encoding.ASCII.GetBytes("LIN+1++4000862141404:SRS'QTY+47:100:PCE'MOA+203:1500.00'");
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = line[i % line.Length];
        }
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }

    /// <summary>Writes each payload to a file and flushes it to disk, as the blob store does.</summary>
    private sealed class DiskSink(string folder) : IInboundSink
    {
        private int _count;

        public async Task<AcceptResult> AcceptAsync(InboundOrigin origin, Stream content, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(folder);
            var id = Interlocked.Increment(ref _count).ToString("D6", CultureInfo.InvariantCulture);
            await using (var file = new FileStream(Path.Combine(folder, id), FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            return new AcceptResult(id, false);
        }
    }
}
