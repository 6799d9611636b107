using CrossBorderHub.Benchmarks;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>The benchmark inputs (tests/CrossBorderHub.Benchmarks) must be what the benchmark claims they are.</summary>
public class BenchmarkGeneratorTests
{
    [Test]
    public void A_generated_interchange_is_valid_at_the_codes_level_and_uses_release_characters()
    {
        using var file = new MemoryStream();
        var written = CusdecGenerator.Generate(file, 3 << 20, out var messages);

        var data = file.ToArray();
        var result = Samples.Validate(data);

        Assert.That(result.Findings.Select(f => f.ToString()), Is.Empty);
        Assert.That(written, Is.EqualTo(data.Length));
        Assert.That((result.MessageCount, result.MessageTypes), Is.EqualTo((messages, "CUSDEC")));
        Assert.That(data.AsSpan().IndexOf("?+"u8), Is.GreaterThan(0), "escaped separators in the data");
    }

    [Test]
    public void The_same_size_gives_the_same_bytes()
    {
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        CusdecGenerator.Generate(first, 200_000);
        CusdecGenerator.Generate(second, 200_000);
        Assert.That(first.ToArray(), Is.EqualTo(second.ToArray()));
    }

    [Test]
    public void A_gibibyte_interchange_stays_under_the_UNZ_count_limit()
    {
        // UNZ 0036 is n..6: 1 GiB must hold fewer than 1,000,000 messages, so a message must average > 1,074 bytes.
        using var file = new MemoryStream();
        var written = CusdecGenerator.Generate(file, 4 << 20, out var messages);
        Assert.That((double)written / messages, Is.GreaterThan((1L << 30) / 999_999.0 * 1.1));
    }
}
