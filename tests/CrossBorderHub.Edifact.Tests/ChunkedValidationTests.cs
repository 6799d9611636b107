using CrossBorderHub.Benchmarks;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>
/// A large interchange is validated in chunks on several cores; the result must be the single run's, finding for
/// finding: segment numbers, message indexes, message summaries, counts, UNZ's message count across chunks.
/// </summary>
public class ChunkedValidationTests
{
    private static IEnumerable<string> AllSamples() => Samples.All();

    private static byte[]? _generated;

    // About 2,000 messages: more than MaxMessageSummaries, so the summary rule is exercised across chunks.
    private static byte[] Generated()
    {
        if (_generated is null)
        {
            using var file = new MemoryStream();
            CusdecGenerator.Generate(file, 3 << 20);
            _generated = file.ToArray();
        }
        return _generated;
    }

    [Test]
    public void A_valid_interchange_is_validated_in_chunks_with_the_single_run_result()
    {
        foreach (var chunks in new[] { 2, 3, 7 })
        {
            var chunked = Validate(Generated(), chunks);
            Assert.That(chunked.Chunks, Is.EqualTo(chunks), "validated in chunks");
            AssertSame(chunked, Validate(Generated(), 1), $"{chunks} chunks");
            Assert.That(chunked.Findings, Is.Empty);
        }
    }

    [Test]
    public void Defects_anywhere_give_the_single_run_findings()
    {
        var random = new Random(7);
        var chunkedWithFindings = 0;
        for (var run = 0; run < 40; run++)
        {
            var data = (byte[])Generated().Clone();
            for (var m = random.Next(1, 12); m > 0; m--)
            {
                var at = random.Next(data.Length);
                data[at] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => "+:'?"u8[random.Next(4)],
                    _ => (byte)random.Next('0', '9' + 1),
                };
            }
            var chunks = random.Next(2, 6);
            var chunked = Validate(data, chunks);
            AssertSame(chunked, Validate(data, 1), $"run {run}, {chunks} chunks");
            chunkedWithFindings += chunked.Chunks > 1 && chunked.Findings.Count > 0 ? 1 : 0;
        }
        Assert.That(chunkedWithFindings, Is.GreaterThan(20), "most defective files were still validated in chunks");
    }

    [Test]
    public void A_wrong_message_count_in_UNZ_is_found_across_chunks()
    {
        var text = Encoding.Latin1.GetString(Generated());
        var unz = text.LastIndexOf("UNZ+", StringComparison.Ordinal);
        var wrong = Encoding.Latin1.GetBytes(text[..unz] + "UNZ+7+BENCH0001'\n");

        var chunked = Validate(wrong, 3);

        Assert.That(chunked.Chunks, Is.EqualTo(3));
        Assert.That(chunked.Findings.Select(f => (f.CodeNumber, f.Tag)), Is.EqualTo(new[] { (29, "UNZ") }));
        AssertSame(chunked, Validate(wrong, 1), "UNZ count");
    }

    [Test]
    public void An_unclosed_message_at_a_cut_falls_back_to_one_run()
    {
        var text = Encoding.Latin1.GetString(Generated());
        var middle = text.IndexOf("UNT+", text.Length / 2, StringComparison.Ordinal);
        var broken = Encoding.Latin1.GetBytes(text[..middle] + text[(text.IndexOf('\n', middle) + 1)..]);

        var result = Validate(broken, 2);

        AssertSame(result, Validate(broken, 1), "missing UNT");
        Assert.That(result.Findings, Has.Some.Matches<EdifactFinding>(f => f.Message.Contains("UNT is missing", StringComparison.Ordinal)));
    }

    [TestCaseSource(nameof(AllSamples))]
    public void Every_sample_gives_the_single_run_result_when_cut(string name)
    {
        var data = Samples.Read(name);
        foreach (var chunks in new[] { 2, 4 })
        {
            AssertSame(Validate(data, chunks), Validate(data, 1), $"{name} in {chunks}");
        }
    }

    [Test]
    public void A_file_is_read_by_position_from_several_threads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"chunked-{Guid.NewGuid():N}.edi");
        File.WriteAllBytes(path, Generated());
        try
        {
            using var stream = File.OpenRead(path);
            var result = new EdifactValidator(Samples.Directories) { MinimumChunkedLength = 0, MaxChunks = 4 }.Validate(stream);
            Assert.That(result.Chunks, Is.EqualTo(4));
            AssertSame(result, Validate(Generated(), 1), "file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ValidationResult Validate(byte[] data, int chunks)
    {
        using var stream = new MemoryStream(data, 0, data.Length, writable: false, publiclyVisible: true);
        return new EdifactValidator(Samples.Directories) { MinimumChunkedLength = 0, MaxChunks = chunks }.Validate(stream);
    }

    internal static void AssertSame(ValidationResult actual, ValidationResult expected, string what)
    {
        Assert.That(actual.Findings, Is.EqualTo(expected.Findings), what);
        Assert.That(actual.Messages, Is.EqualTo(expected.Messages), what);
        Assert.That((actual.MessageCount, actual.SegmentCount, actual.Length, actual.MessageTypes, actual.FindingsTruncated),
            Is.EqualTo((expected.MessageCount, expected.SegmentCount, expected.Length, expected.MessageTypes, expected.FindingsTruncated)), what);
        Assert.That((actual.Sender, actual.Recipient, actual.ControlReference, actual.SyntaxIdentifier, actual.HasUnb),
            Is.EqualTo((expected.Sender, expected.Recipient, expected.ControlReference, expected.SyntaxIdentifier, expected.HasUnb)), what);
    }
}
