using System.Text;

namespace CrossBorderHub.Edifact.Directory;

/// <summary>Reads a UNECE directory text file: code page 437 (D.96B, D.01B) or ASCII (D.18A), CRLF lines.</summary>
internal static class UneceText
{
    private static readonly Encoding Cp437 = CreateCp437();

    public static string[] ReadLines(string path) =>
        Cp437.GetString(File.ReadAllBytes(path)).Split('\n').Select(l => l.TrimEnd('\r', ' ', '\x1A')).ToArray();

    /// <summary>A rule between entries: a line of box-drawing (0xC4) or '-' characters only.</summary>
    public static bool IsRule(string line)
    {
        var t = line.Trim();
        return t.Length >= 20 && t.All(c => c is '─' or '-');
    }

    /// <summary>Blanks a change indicator (+ * # | X -) in the first column so positions line up.</summary>
    public static string WithoutIndicator(string line) =>
        line.Length > 1 && line[0] is '+' or '*' or '#' or '|' or 'X' or '-' && line[1] == ' ' ? " " + line[1..] : line;

    private static Encoding CreateCp437()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(437);
    }
}
