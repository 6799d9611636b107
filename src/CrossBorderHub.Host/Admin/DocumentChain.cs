using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// The document detail: its identity, its chain (received, validated, mapped, signed, delivered, acknowledged, each
/// with when and in which message, read from the message events), the linked documents and every event of the
/// messages that carried it.
/// </summary>
internal static class DocumentChain
{
    /// <summary>A chain step and the event kinds that show it happened (the first one found counts).</summary>
    private static readonly (string Step, string[] Kinds)[] Steps =
    [
        ("received", ["received", "created"]),
        ("validated", ["routed", "duplicate", "document-duplicate", "rejected"]),
        ("mapped", ["mapped", "transformed"]),
        ("signed", ["signed"]),
        ("delivered", ["delivered"]),
        ("acknowledged", ["acknowledged", "acknowledged-negative"]),
    ];

    public static string Render(DocumentRecord d, IReadOnlyList<DocumentRecord> related, IReadOnlyList<(string MessageId, IReadOnlyList<MessageEvent> Events)> carriers)
    {
        static string E(string? value) => AdminLayout.E(value);
        var html = new StringBuilder("<p><a href='/documents'>← documents</a></p><table id=document>");
        void Row(string name, string? value) => html.Append(CultureInfo.InvariantCulture, $"<tr><th>{name}</th><td>{E(value)}</td></tr>");
        Row("Type", d.Type);
        Row("Number", d.Number.Length == 0 ? "(none found: delivered with a warning)" : d.Number);
        Row("Function", $"{d.Function} ({d.FunctionCode})");
        Row("Issued", d.IssueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row("Issuing country", d.IssuingCountry);
        Row("Destination country", d.DestinationCountry);
        Row("Refers to", d.ReferencedNumber);
        Row("Received from", $"{d.SourcePartner} ({d.SourceChannel})");
        Row("Signature", d.SignatureVerified switch { true => $"verified: {d.SignerSubject}", false => $"NOT verified: {d.SignerSubject}", _ => "unsigned or not checked" });
        html.Append(CultureInfo.InvariantCulture, $"<tr><th>State</th><td id=document-state class='{d.State}'>{d.State}</td></tr></table>");

        // Signed: a signature checked at identification is a step of its own; an outgoing signature shows as a transformation.
        var own = carriers.FirstOrDefault(c => c.MessageId == d.MessageId).Events ?? [];
        html.Append("<h2>Chain</h2><table id=chain><tr><th>Step</th><th>When</th><th>Message</th><th>Detail</th></tr>");
        foreach (var (step, kinds) in Steps)
        {
            var found = own.FirstOrDefault(e => kinds.Contains(e.Kind, StringComparer.Ordinal)
                || step == "signed" && e.Kind == "transformed" && e.Detail.Contains("sign", StringComparison.OrdinalIgnoreCase));
            var failed = found?.Kind is "rejected" or "acknowledged-negative";
            var detail = found?.Detail ?? (step == "signed" && d.SignatureVerified is not null ? $"signature checked at identification ({(d.SignatureVerified == true ? "verified" : "not verified")})" : "");
            html.Append(CultureInfo.InvariantCulture, $"<tr id='step-{step}' class='{(found is null ? "" : failed ? "error" : "ok")}'><td>{step}</td><td>{found?.At:yyyy-MM-dd HH:mm:ss.fff}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{(found is null ? "" : $"<a href='/messages/{E(d.MessageId)}'>{E(d.MessageId)}</a>")}</td><td>{E(detail)}</td></tr>");
        }
        html.Append("</table>");

        if (related.Count > 0)
        {
            html.Append("<h2>Linked documents</h2><table id=related><tr><th>Document</th><th>Link</th><th>State</th><th>Message</th></tr>");
            foreach (var r in related)
            {
                var link = r.DuplicateOf == d.Id ? "a copy received again (duplicate)"
                    : d.DuplicateOf == r.Id ? "the first copy (this one is its duplicate)"
                    : d.SupersededBy == r.Id ? "replaced or cancelled this one"
                    : d.Supersedes == r.Id || r.SupersededBy == d.Id ? "the original this one replaced or cancelled" : "linked";
                html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href='/documents/{r.Id}'>{E(r.Type)} {E(r.Number)}</a></td><td>{E(link)}</td><td class='{r.State}'>{r.State}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td><a href='/messages/{E(r.MessageId)}'>{E(r.MessageId)}</a></td></tr>");
            }
            html.Append("</table>");
        }

        html.Append("<h2>Events of the messages that carried it</h2><table id=events><tr><th>At</th><th>Message</th><th>Event</th><th>Detail</th></tr>");
        foreach (var (messageId, events) in carriers)
        {
            foreach (var e in events)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.At:yyyy-MM-dd HH:mm:ss.fff}</td><td><a href='/messages/{E(messageId)}'>{E(messageId)}</a></td><td>{E(e.Kind)}</td><td>{E(e.Detail)}</td></tr>");
            }
        }
        return html.Append("</table>").ToString();
    }
}
