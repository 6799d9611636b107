using CrossBorderHub.Edifact.Model;
using CsCheck;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>
/// Generators for the property tests: interchanges the writer produces (any service characters, syntax 3 or 4,
/// UNA or not, real CUSDEC segments mixed with arbitrary ones), laid out with line breaks, and then damaged.
/// </summary>
internal static class GeneratedInterchanges
{
    private const string ServiceCandidates = "!\"#$%&'*+,/:;<=>?@^_|~";

    private static readonly Gen<string> Value = Gen.String[Gen.Char["AZaz09 .-" + ServiceCandidates], 0, 6];

    private static readonly Gen<string> Tag = Gen.Select(Gen.Char['A', 'Z'], Gen.Char['A', 'Z'], Gen.Char['A', 'Z'], (a, b, c) => $"{a}{b}{c}");

    // Segments the D96B directory knows, so that a share of the messages gets past the structure checks.
    private static readonly Segment[] Known =
    [
        new("BGM", [new Element("830"), new Element("DEC0001"), new Element("9")]),
        new("LOC", [new Element("22"), new Element("THBKK")]),
        new("DTM", [new Element(["137", "20240115", "102"])]),
        new("MOA", [new Element(["39", "1250.50"])]),
        new("CUX", [new Element(["2", "THB", "4"])]),
        new("UNS", [new Element("D")]),
    ];

    private static readonly Gen<Segment> Arbitrary = Gen.Select(Tag, Value.List[1, 3].List[1, 1].List[0, 4],
        (tag, elements) => new Segment(tag, [.. elements.Select(e => new Element(e))]));

    private static readonly Gen<Segment> AnySegment = Gen.Frequency((3, Gen.Int[0, Known.Length - 1].Select(i => Known[i])), (1, Arbitrary));

    private static readonly Gen<Delimiters> Syntax4Delimiters =
        Gen.Shuffle(ServiceCandidates.ToCharArray()).Select(c => new Delimiters((byte)c[0], (byte)c[1], (byte)'.', (byte)c[2], (byte)c[3], (byte)c[4]));

    /// <summary>A well-formed interchange of 1 to <paramref name="maxMessages"/> messages, as bytes.</summary>
    public static Gen<byte[]> Written(int maxMessages) =>
        Gen.Select(Gen.Bool, Syntax4Delimiters, Gen.Bool, AnySegment.List[0, 8], Gen.Int[1, maxMessages], Gen.Int[0, 2].Select(i => new[] { "", "\n", "\r\n" }[i]))
            .Select((syntax4, delimiters, una, body, messages, separator) =>
            {
                var builder = syntax4
                    ? new InterchangeBuilder("UNOC", 4, "SENDER", "RECIPIENT", "REF1", new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero)) { Delimiters = delimiters, SegmentSeparator = separator }
                    : new InterchangeBuilder("UNOC", 3, "SENDER", "RECIPIENT", "REF1", new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero)) { WriteUna = una, SegmentSeparator = separator };
                for (var m = 0; m < messages; m++)
                {
                    builder.AddMessage($"M{m}", "CUSDEC", "D", "96B", "UN", body);
                }
                return builder.ToBytes();
            });

    /// <summary>A written interchange with up to <paramref name="maxDefects"/> bytes replaced: by any byte, a separator or a digit.</summary>
    public static Gen<byte[]> Damaged(int maxMessages, int maxDefects) =>
        Gen.Select(Written(maxMessages), Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, 2], Gen.Byte).List[0, maxDefects])
            .Select((bytes, defects) =>
            {
                var data = (byte[])bytes.Clone();
                foreach (var (where, kind, value) in defects)
                {
                    var at = where % data.Length;
                    data[at] = kind switch
                    {
                        0 => value,
                        1 => "+:'?\n"u8[value % 5],
                        _ => (byte)('0' + (value % 10)),
                    };
                }
                return data;
            });

    /// <summary>Shown with a failed property: the bytes as Latin-1 text, control characters escaped.</summary>
    public static string Show(byte[] bytes) =>
        string.Concat(Encoding.Latin1.GetString(bytes).Select(c => c < ' ' || c > '~' ? $"\\x{(int)c:X2}" : c.ToString()));
}
