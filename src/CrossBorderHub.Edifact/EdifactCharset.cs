using System.Text;

namespace CrossBorderHub.Edifact;

/// <summary>
/// The character repertoire named by the UNB syntax identifier (0001): which bytes are allowed and how they decode.
/// UNOA/UNOB are restricted ISO 646 subsets, UNOC..UNOK the ISO 8859 parts, UNOW and UNOY UTF-8, UNOX ISO 2022.
/// </summary>
public sealed class EdifactCharset
{
    private static readonly Dictionary<string, EdifactCharset> Known = Build();

    private readonly bool[] _allowed;

    private EdifactCharset(string id, Encoding encoding, Func<byte, bool> allowed, bool isUtf8)
    {
        Id = id;
        Encoding = encoding;
        IsUtf8 = isUtf8;
        _allowed = new bool[256];
        for (var b = 0; b < 256; b++)
        {
            _allowed[b] = allowed((byte)b);
        }
    }

    public string Id { get; }

    public Encoding Encoding { get; }

    /// <summary>Multi-byte UTF-8: bytes must form valid sequences (checked separately).</summary>
    public bool IsUtf8 { get; }

    /// <summary>UNOC: what decoding uses when the syntax identifier is unknown.</summary>
    public static EdifactCharset Default { get; } = Known["UNOC"];

    public static IReadOnlyCollection<string> Ids => Known.Keys;

    public static EdifactCharset? Find(string? id) => id is not null && Known.TryGetValue(id, out var c) ? c : null;

    /// <summary>True when <paramref name="b"/> may appear in a value under this repertoire.</summary>
    public bool IsAllowed(byte b) => _allowed[b];

    private static Dictionary<string, EdifactCharset> Build()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var strict = new UTF8Encoding(false, false);
        // UNOA: upper case letters, digits, space and the level A punctuation (ISO 9735 part 1, 7.1).
        const string levelA = " .,-()/='+:?!\"%&*;<>";
        static bool Graphic(byte b) => b >= 0x20 && b != 0x7F;
        static bool Latin(byte b) => (b >= 0x20 && b < 0x7F) || b >= 0xA0;
        var map = new Dictionary<string, EdifactCharset>(StringComparer.Ordinal)
        {
            ["UNOA"] = new("UNOA", Encoding.ASCII, b => b is >= (byte)'A' and <= (byte)'Z' || b is >= (byte)'0' and <= (byte)'9' || levelA.Contains((char)b), false),
            ["UNOB"] = new("UNOB", Encoding.ASCII, b => (b >= 0x20 && b < 0x7F) || b is 0x1C or 0x1D or 0x1F, false),
            ["UNOC"] = new("UNOC", Encoding.Latin1, Latin, false),
            ["UNOW"] = new("UNOW", strict, b => Graphic(b) || b >= 0x80, true),
            ["UNOY"] = new("UNOY", strict, b => Graphic(b) || b >= 0x80, true),
            ["UNOX"] = new("UNOX", Encoding.GetEncoding("iso-2022-jp"), b => Graphic(b) || b == 0x1B, false),
        };
        var parts = new (string Id, string Name)[]
        {
            ("UNOD", "iso-8859-2"), ("UNOE", "iso-8859-5"), ("UNOF", "iso-8859-7"), ("UNOG", "iso-8859-3"),
            ("UNOH", "iso-8859-4"), ("UNOI", "iso-8859-6"), ("UNOJ", "iso-8859-8"), ("UNOK", "iso-8859-9"),
        };
        foreach (var (id, name) in parts)
        {
            map[id] = new(id, Encoding.GetEncoding(name), Latin, false);
        }
        return map;
    }
}
