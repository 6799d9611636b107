namespace CrossBorderHub.Edifact;

/// <summary>A three-letter segment tag packed in an int, so hot paths compare and look up tags without strings.</summary>
public static class TagKey
{
    public static int Of(ReadOnlySpan<byte> tag) => tag.Length == 3 ? tag[0] | (tag[1] << 8) | (tag[2] << 16) : -1;

    public static int Of(string tag) => tag.Length == 3 ? tag[0] | (tag[1] << 8) | (tag[2] << 16) : -1;

    public const int Una = 'U' | ('N' << 8) | ('A' << 16);
    public const int Unb = 'U' | ('N' << 8) | ('B' << 16);
    public const int Ung = 'U' | ('N' << 8) | ('G' << 16);
    public const int Une = 'U' | ('N' << 8) | ('E' << 16);
    public const int Unh = 'U' | ('N' << 8) | ('H' << 16);
    public const int Unt = 'U' | ('N' << 8) | ('T' << 16);
    public const int Unz = 'U' | ('N' << 8) | ('Z' << 16);
}
