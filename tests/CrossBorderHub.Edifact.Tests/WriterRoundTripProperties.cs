using CrossBorderHub.Edifact.Model;
using CsCheck;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>
/// Property: any interchange the writer produces reads back to the same model, whatever the service characters
/// (UNA), release characters inside values, repetitions (syntax 4), components and number of segments.
/// </summary>
public class WriterRoundTripProperties
{
    // Candidate service characters: printable UNOC characters that are not letters or digits.
    private const string ServiceCandidates = "!\"#$%&'*+,/:;<=>?@^_|~";

    // Values mix ordinary text with every candidate service character, so escaping is exercised on each run.
    private static readonly Gen<string> Value = Gen.String[Gen.Char["AZaz09 .-" + ServiceCandidates], 0, 6];

    private static readonly Gen<string> Tag = Gen.Select(Gen.Char['A', 'T'], Gen.Char['A', 'Z'], Gen.Char['A', 'Z'], (a, b, c) => $"{a}{b}{c}");

    private static readonly Gen<Delimiters> Syntax4Delimiters =
        Gen.Shuffle(ServiceCandidates.ToCharArray()).Select(c => new Delimiters((byte)c[0], (byte)c[1], (byte)'.', (byte)c[2], (byte)c[3], (byte)c[4]));

    private static Gen<Segment> SegmentGen(bool repetitions) =>
        Gen.Select(Tag, Value.List[1, 3].List[1, repetitions ? 3 : 1].List[0, 5],
            (tag, elements) => new Segment(tag, [.. elements.Select(e => new Element(e))]));

    [Test]
    public void Every_written_syntax_4_interchange_reads_back_to_the_same_segments()
    {
        Gen.Select(Syntax4Delimiters, SegmentGen(repetitions: true).List[0, 12], Gen.Int[1, 3])
            .Sample((delimiters, body, messages) =>
            {
                var builder = new InterchangeBuilder("UNOC", 4, "SENDER", "RECIPIENT", "REF1", new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero)) { Delimiters = delimiters };
                for (var m = 0; m < messages; m++)
                {
                    builder.AddMessage($"M{m}", "CUSDEC", "D", "96B", "UN", body);
                }
                AssertReadsBack(builder);
            }, iter: 300);
    }

    [Test]
    public void Every_written_syntax_3_interchange_with_default_delimiters_reads_back_to_the_same_segments()
    {
        Gen.Select(SegmentGen(repetitions: false).List[0, 12], Gen.Bool)
            .Sample((body, una) =>
            {
                var builder = new InterchangeBuilder("UNOC", 3, "SENDER", "RECIPIENT", "REF1", new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero)) { WriteUna = una };
                builder.AddMessage("1", "CUSDEC", "D", "96B", "UN", body);
                AssertReadsBack(builder);
            }, iter: 300);
    }

    private static void AssertReadsBack(InterchangeBuilder builder)
    {
        var expected = builder.Build();
        var read = EdifactParser.Parse(builder.ToBytes());
        // UNA is compared as the delimiters it sets (the reader keeps its six characters as a value, the builder none).
        Assert.That(read.Delimiters, Is.EqualTo(expected.Delimiters));
        Assert.That(read.Segments.Where(s => s.Tag != "UNA").Select(Normalized), Is.EqualTo(expected.Segments.Where(s => s.Tag != "UNA").Select(Normalized)));
        Assert.That(read.AllMessages.Count(), Is.EqualTo(expected.AllMessages.Count()));
    }

    // The writer drops trailing empty components, repetitions and elements (ISO 9735); compare without them.
    internal static string Normalized(Segment segment)
    {
        var elements = segment.Elements.Select(e => TrimEnd(e.Occurrences.Select(o => string.Join("\u0001", TrimEnd(o))).ToList()));
        return segment.Tag + "|" + string.Join("\u0003", TrimEnd(elements.Select(o => string.Join("\u0002", o)).ToList()));
    }

    private static List<string> TrimEnd(List<string> values)
    {
        var last = values.FindLastIndex(v => v.Replace("\u0001", "").Replace("\u0002", "").Length > 0);
        return values.Take(last + 1).ToList();
    }
}
