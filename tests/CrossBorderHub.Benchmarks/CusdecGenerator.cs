using System.Globalization;
using System.Text;

namespace CrossBorderHub.Benchmarks;

/// <summary>
/// Writes a deterministic CUSDEC D.96B interchange of about <c>targetBytes</c>, valid at the `codes` level: many
/// messages, each a header (with release characters in references and names) and a detail section of commercial
/// documents. The same size always gives the same bytes. Messages average about 1.4 KB so that even a 1 GiB
/// interchange holds fewer than 1,000,000 of them: UNZ's message count (0036) is n..6.
/// </summary>
public static class CusdecGenerator
{
    public static long Generate(Stream output, long targetBytes) => Generate(output, targetBytes, out _);

    public static long Generate(Stream output, long targetBytes, out int messages) =>
        Generate(output, targetBytes, out messages, minDocuments: 10, badEvery: 0);

    /// <summary>
    /// <paramref name="minDocuments"/> sets the message size (10: ~1.4 KB, 6: ~1.1 KB, so a 1 GiB interchange holds
    /// ~975,000 messages, still under UNZ's n..6); with <paramref name="badEvery"/> &gt; 0 every badEvery-th message
    /// carries a document name code (1001) that is not in UNCL, one finding at the codes level.
    /// </summary>
    public static long Generate(Stream output, long targetBytes, out int messages, int minDocuments, int badEvery)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        var inv = CultureInfo.InvariantCulture;
        const string header = "UNA:+.? '\nUNB+UNOC:3+THEXPORTER:ZZ+CNCUSTOMS:ZZ+240115:1030+BENCH0001++CUSDEC'\n";
        writer.Write(header);
        long written = header.Length;
        var message = 0;
        var sb = new StringBuilder(8192);
        while (written < targetBytes - 40 || message == 0)
        {
            message++;
            sb.Clear();
            var segments = 0;
            void Seg(string text)
            {
                sb.Append(text).Append("'\n");
                segments++;
            }
            Seg($"UNH+{message}+CUSDEC:D:96B:UN");
            Seg(badEvery > 0 && message % badEvery == 0 ? $"BGM+9Z9+DEC{message:D8}+9" : $"BGM+929+DEC{message:D8}+9");
            Seg("LOC+22+THBKK");
            Seg($"DTM+137:202401{1 + (message % 28):D2}:102");
            Seg($"RFF+ABT:REF?+{message}?:A");
            Seg("TDT+20++1+++++:::VESSEL ?'ALPHA?'");
            Seg($"NAD+DT+++Exporter {message} Co?+ Ltd+Street {message % 97}?:2+Bangkok++10110+TH");
            Seg(string.Create(inv, $"MOA+39:{message % 100000}.{message % 100:D2}"));
            Seg("CUX+2:THB:4");
            Seg("UNS+D");
            var documents = minDocuments + message % 5;
            for (var d = 1; d <= documents; d++)
            {
                Seg($"DMS+INV{message}-{d}+380+{d * 3}");
                Seg($"DTM+3:202401{1 + (d % 28):D2}:102");
                Seg(string.Create(inv, $"MOA+38:{(message * 7 + d) % 100000}.50"));
                Seg("CUX+2:USD:4");
                Seg($"NAD+SE+++Seller {d} ?+ Partner");
            }
            Seg("UNS+S");
            Seg($"CNT+5:{documents}");
            segments++;
            sb.Append("UNT+").Append(segments.ToString(inv)).Append('+').Append(message.ToString(inv)).Append("'\n");
            writer.Write(sb);
            written += sb.Length;
        }
        var trailer = $"UNZ+{message}+BENCH0001'\n";
        writer.Write(trailer);
        written += trailer.Length;
        writer.Flush();
        messages = message;
        return written;
    }
}
