namespace CrossBorderHub.Edifact.Tests;

/// <summary>
/// The segment reader's structural scanner (every window after the first) must give exactly the segments and values
/// of the general <see cref="EdifactReader"/>: same tags, positions, release flags, offsets, layout and numbering.
/// Small windows put segment, block and release boundaries everywhere.
/// </summary>
public class SegmentScannerTests
{
    private static readonly int[] WindowSizes = [16, 61, 64, 100, 129, 1000, 1 << 18];

    private static IEnumerable<string> AllSamples() => Samples.All();

    [TestCaseSource(nameof(AllSamples))]
    public void The_scanner_reads_every_sample_as_the_reader_does(string name)
    {
        var data = Samples.Read(name);
        var expected = Describe(data, 1 << 18, forceReader: true);
        foreach (var size in WindowSizes)
        {
            Assert.That(Describe(data, size, forceReader: false), Is.EqualTo(expected), $"window {size}");
        }
    }

    [Test]
    public void The_scanner_agrees_with_the_reader_on_random_mutations()
    {
        var random = new Random(1234);
        var samples = Samples.Valid().Select(Samples.Read).ToArray();
        for (var run = 0; run < 1500; run++)
        {
            var data = (byte[])samples[random.Next(samples.Length)].Clone();
            for (var m = random.Next(1, 8); m > 0 && data.Length > 0; m--)
            {
                var at = random.Next(data.Length);
                data[at] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => "+:'?*\r\n "u8[random.Next(8)],
                    _ => (byte)'?',
                };
            }
            var expected = Describe(data, 1 << 18, forceReader: true);
            var size = WindowSizes[random.Next(WindowSizes.Length - 1)];
            Assert.That(Describe(data, size, forceReader: false), Is.EqualTo(expected), $"run {run}, window {size}: {Encoding.Latin1.GetString(data)}");
        }
    }

    [Test]
    public void Release_characters_at_block_and_window_edges_escape_exactly_one_byte()
    {
        // Runs of release characters of every length, ending at every offset of a 64-byte block.
        var text = new StringBuilder("UNA:+.? 'UNB+UNOC:3+A+B+240101:1200+R1'");
        for (var run = 1; run <= 5; run++)
        {
            for (var pad = 0; pad < 70; pad++)
            {
                text.Append("FTX+").Append('x', pad).Append('?', run).Append("+y:z'\n");
            }
        }
        text.Append("UNZ+0+R1'");
        var data = Encoding.ASCII.GetBytes(text.ToString());
        var expected = Describe(data, 1 << 18, forceReader: true);
        foreach (var size in WindowSizes)
        {
            Assert.That(Describe(data, size, forceReader: false), Is.EqualTo(expected), $"window {size}");
        }
    }

    [TestCase(1 << 18)]
    [TestCase(1000)]
    public void A_segment_with_millions_of_values_keeps_exact_positions(int window)
    {
        // The scanner packs the indexes in one word (2^21 values a field) and hands a segment whose indexes pass
        // 2^20 to the reader, which stays exact: components past 2^21 here, repetitions past 2^20.
        const int Elements = 1000, Components = (1 << 21) + 100, Repetitions = (1 << 20) + 100;
        var text = new StringBuilder("UNA:+.?*'UNB+UNOC:4+S+R+200101:0000+1'FTX+A");
        text.Append('+', Elements).Append('B').Append(':', Components).Append('C').Append('*', Repetitions).Append("D'");
        text.Append("FTX+X:Y+Z'UNZ+0+1'");
        var data = Encoding.ASCII.GetBytes(text.ToString());
        var expected = Positions(data, 1 << 18, forceReader: true);
        Assert.That(Positions(data, window, forceReader: false), Is.EqualTo(expected));
        var huge = expected[2];
        Assert.That(huge.Count, Is.EqualTo(1 + 1 + Elements + Components + Repetitions));
        Assert.That(huge.Last, Is.EqualTo((1 + Elements, Repetitions, 0, (long)data.Length - 20, 1)));
        Assert.That(huge.MaxComponent, Is.EqualTo(Components));
        Assert.That(expected[3].Last, Is.EqualTo((2, 0, 0, data.Length - 10L, 1)));
    }

    /// <summary>Per segment: value count, a digest of every value's position, the last value and the largest component index.</summary>
    private static List<(int Count, long Digest, (int, int, int, long, int) Last, int MaxComponent)> Positions(byte[] data, int windowSize, bool forceReader)
    {
        var reader = new EdifactSegmentReader(new MemoryStream(data), windowSize, 64 << 20, forceReader);
        var segments = new List<(int, long, (int, int, int, long, int), int)>();
        while (reader.Read() is { } seg)
        {
            long digest = 17;
            var maxComponent = 0;
            (int, int, int, long, int) last = default;
            foreach (var v in seg.Values)
            {
                last = (v.Element, v.Repetition, v.Component, seg.OffsetOf(v), v.Length);
                digest = (digest * 1_000_003) ^ last.GetHashCode();
                maxComponent = Math.Max(maxComponent, v.Component);
            }
            segments.Add((seg.Values.Length, digest, last, maxComponent));
        }
        Assert.That(reader.Error, Is.Null);
        return segments;
    }

    private static List<string> Describe(byte[] data, int windowSize, bool forceReader)
    {
        var reader = new EdifactSegmentReader(new MemoryStream(data), windowSize, 1 << 20, forceReader);
        var lines = new List<string>();
        while (reader.Read() is { } seg)
        {
            var values = string.Join("|", seg.Values.ToArray().Select(v =>
                $"{v.Element}.{v.Repetition}.{v.Component}@{seg.OffsetOf(v)}:{Encoding.Latin1.GetString(seg.Span(v))}{(v.HasRelease ? "!" : "")}"));
            var first = string.Join(",", Enumerable.Range(0, seg.ElementCount + 1).Select(seg.FirstValueIndex));
            lines.Add($"{seg.SegmentNumber} {seg.Offset} {seg.Terminated} [{Convert.ToHexString(seg.LeadingLayout)}] {Encoding.Latin1.GetString(seg.Raw)} {values} {first}");
        }
        lines.Add($"end {reader.Position} {reader.Error} [{Convert.ToHexString(reader.Trailing)}]");
        return lines;
    }
}
