using System.Buffers;
using BenchmarkDotNet.Attributes;
using CrossBorderHub.Edifact;
using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Validation;

namespace CrossBorderHub.Benchmarks;

/// <summary>Tokenizer and validator over a 1 MB generated CUSDEC, against a per-token IndexOfAny baseline.</summary>
[MemoryDiagnoser]
public class ReaderBenchmarks
{
    private static readonly SearchValues<byte> Separators = SearchValues.Create(":+?'"u8);
    private byte[] _data = [];
    private DirectoryRegistry _directories = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var ms = new MemoryStream();
        CusdecGenerator.Generate(ms, 1 << 20);
        _data = ms.ToArray();
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !System.IO.Directory.Exists(Path.Combine(root.FullName, "schemas", "edifact")))
        {
            root = root.Parent;
        }
        _directories = new DirectoryRegistry(Path.Combine(root?.FullName ?? ".", "schemas", "edifact"));
    }

    [Benchmark(Baseline = true)]
    public long IndexOfAnyPerToken()
    {
        var span = _data.AsSpan();
        long count = 0;
        int i;
        while ((i = span.IndexOfAny(Separators)) >= 0)
        {
            count++;
            span = span[(i + 1)..];
        }
        return count;
    }

    [Benchmark]
    public long EdifactReaderEveryToken()
    {
        var reader = new EdifactReader(_data);
        long count = 0;
        while (reader.Read())
        {
            count += reader.ValueSpan.Length + 1;
        }
        return count;
    }

    [Benchmark]
    public int ValidateCodes() => new EdifactValidator(_directories).Validate(_data).SegmentCount;
}
