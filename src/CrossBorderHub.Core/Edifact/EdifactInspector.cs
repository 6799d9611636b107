using System.Text;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;

namespace CrossBorderHub.Core.Edifact;

/// <summary>
/// Foundation version of the EDIFACT inspector: reads the envelope (UNA, UNB, UNH types, UNZ) to identify and route.
/// The EDIFACT engine replaces it with full syntax/envelope/directory/code validation.
/// </summary>
public sealed class EdifactInspector(HubOptions hub) : IDocumentInspector
{
    private const int MaxEnvelopeScan = 64 * 1024 * 1024;

    public DocumentFormat Format => DocumentFormat.Edifact;

    public HubOptions Hub { get; } = hub;

    public bool Recognizes(ReadOnlySpan<byte> head)
    {
        head = TrimStart(head);
        return head.StartsWith("UNA"u8) || head.StartsWith("UNB"u8);
    }

    public async Task<Inspection> InspectAsync(InspectionRequest request, CancellationToken cancellationToken)
    {
        byte[] bytes;
        await using (var stream = request.OpenContent())
        using (var buffer = new MemoryStream())
        {
            var limited = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(limited, cancellationToken)) > 0 && buffer.Length < MaxEnvelopeScan)
            {
                buffer.Write(limited, 0, read);
            }
            bytes = buffer.ToArray();
        }
        var findings = new List<Finding>();
        var text = TrimStart(bytes).ToArray();
        char component = ':', element = '+', release = '?', terminator = '\'';
        var offset = 0;
        if (text.AsSpan().StartsWith("UNA"u8) && text.Length >= 9)
        {
            component = (char)text[3];
            element = (char)text[4];
            release = (char)text[6];
            terminator = (char)text[8];
            offset = 9;
        }
        var segments = Segments(Encoding.Latin1.GetString(text, offset, text.Length - offset), element, component, release, terminator);
        var identity = new DocumentIdentity { Format = DocumentFormat.Edifact };
        if (segments.Count == 0 || segments[0].Tag != "UNB")
        {
            findings.Add(new Finding(FindingSeverity.Error, "13", "the interchange does not start with a UNB segment", "segment 1"));
            return new Inspection(identity, findings);
        }
        var unb = segments[0].Elements;
        var types = segments.Where(s => s.Tag == "UNH").Select(s => s.Component(2, 0)).Where(t => t.Length > 0).Distinct().ToList();
        identity = identity with
        {
            Sender = segments[0].Component(2, 0),
            Recipient = segments[0].Component(3, 0),
            ControlReference = segments[0].Component(5, 0),
            AcknowledgementRequested = segments[0].Component(9, 0) == "1",
            IsTest = segments[0].Component(11, 0) == "1",
            DocumentType = string.Join('+', types),
        };
        if (unb.Count < 5 || string.IsNullOrEmpty(identity.Sender) || string.IsNullOrEmpty(identity.Recipient) || string.IsNullOrEmpty(identity.ControlReference))
        {
            findings.Add(new Finding(FindingSeverity.Error, "13", "UNB lacks the sender, recipient or interchange control reference", "segment 1 UNB"));
        }
        if (segments[^1].Tag != "UNZ")
        {
            findings.Add(new Finding(FindingSeverity.Error, "13", "the interchange does not end with a UNZ segment (truncated?)", $"segment {segments.Count}"));
        }
        else if (segments[^1].Component(2, 0) != identity.ControlReference)
        {
            findings.Add(new Finding(FindingSeverity.Error, "28", "UNZ reference does not match the UNB interchange control reference", $"segment {segments.Count} UNZ"));
        }
        if (types.Count == 0)
        {
            findings.Add(new Finding(FindingSeverity.Error, "13", "the interchange contains no message (UNH)", "segment 2"));
        }
        return new Inspection(identity, findings);
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\xEF\xBB\xBF"u8))
        {
            head = head[3..];
        }
        return head.TrimStart(" \t\r\n"u8);
    }

    private sealed record Segment(string Tag, List<List<string>> Elements)
    {
        public string Component(int element, int component) =>
            element < Elements.Count && component < Elements[element].Count ? Elements[element][component] : "";
    }

    private static List<Segment> Segments(string text, char element, char component, char release, char terminator)
    {
        var segments = new List<Segment>();
        var elements = new List<List<string>> { new() };
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == release && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else if (c == component)
            {
                elements[^1].Add(current.ToString());
                current.Clear();
            }
            else if (c == element)
            {
                elements[^1].Add(current.ToString());
                current.Clear();
                elements.Add([]);
            }
            else if (c == terminator)
            {
                elements[^1].Add(current.ToString());
                current.Clear();
                segments.Add(new Segment(elements[0][0].Trim(), elements));
                elements = [[]];
            }
            else if (c is not ('\r' or '\n') || current.Length > 0)
            {
                current.Append(c);
            }
        }
        return segments;
    }
}
