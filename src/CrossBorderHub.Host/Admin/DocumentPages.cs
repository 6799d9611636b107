using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// /documents (search by number, type, country, issue date range and state, paged newest first) and
/// /documents/{id} (the document, its chain across the messages that carried it, and the documents linked to it).
/// </summary>
internal static class DocumentPages
{
    private const int PageSize = 50;

    public static void MapDocumentPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/documents", async (HttpContext http, IDocumentQueries documents, string? number, string? type, string? country, string? from, string? to, string? status, string? page, CancellationToken ct) =>
        {
            // A form sends every field, the empty ones as "": those are "any", not invalid values.
            (number, type, country, from, to, status, page) = (Blank(number), Blank(type), Blank(country), Blank(from), Blank(to), Blank(status), Blank(page));
            var (query, invalid) = DocumentSearchRequest.Read(number, type, country, from, to, null);
            DocumentState? state = null;
            if (invalid is null && !string.IsNullOrEmpty(status))
            {
                if (Enum.TryParse<DocumentState>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
                {
                    state = parsed;
                }
                else
                {
                    invalid = new DocumentSearchRequest.Invalid("status", status, $"use one of {string.Join(", ", Enum.GetNames<DocumentState>())}");
                }
            }
            var pageNumber = 1;
            if (invalid is null && page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out pageNumber) || pageNumber < 1 || pageNumber > 100_000))
            {
                invalid = new DocumentSearchRequest.Invalid("page", page, "use a whole number from 1");
            }
            var form = Form(number, type, country, from, to, status);
            if (invalid is not null)
            {
                return AdminLayout.Page(http, "Documents", form + $"<p class=error id=search-error>{AdminLayout.E(invalid.ToString())}</p>", statusCode: StatusCodes.Status400BadRequest);
            }
            // One more than a page: whether there is a next page, without counting the whole table.
            var found = await documents.FindAsync(query! with { State = state, Limit = PageSize + 1, Offset = (pageNumber - 1) * PageSize }, ct);
            return AdminLayout.Page(http, "Documents", form + Table(found.Take(PageSize).ToList()) + Pager(http, pageNumber, found.Count > PageSize));
        });
        app.MapGet("/documents/{id}", async (HttpContext http, string id, IDocumentQueries documents, IMessageQueries messages, CancellationToken ct) =>
        {
            var document = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) ? await documents.GetAsync(key, ct) : null;
            if (document is null)
            {
                return AdminLayout.Page(http, "No such document", $"<p>No document has the id '{AdminLayout.E(id)}'. <a href='/documents'>Search documents</a>.</p>", statusCode: StatusCodes.Status404NotFound);
            }
            var related = await documents.RelatedAsync(document.Id, ct);
            var carriers = new List<(string MessageId, IReadOnlyList<MessageEvent> Events)>();
            foreach (var messageId in new[] { document.MessageId }.Concat(related.Select(r => r.MessageId)).Distinct(StringComparer.Ordinal))
            {
                carriers.Add((messageId, await messages.GetEventsAsync(messageId, ct)));
            }
            return AdminLayout.Page(http, $"{document.Type} {(document.Number.Length == 0 ? "(no number)" : document.Number)}", DocumentChain.Render(document, related, carriers));
        });
    }

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Form(string? number, string? type, string? country, string? from, string? to, string? status)
    {
        var html = new StringBuilder("<form method=get id=document-search>");
        foreach (var (name, value, hint) in new[] { ("number", number, "document number"), ("type", type, "type, e.g. CUSDEC"), ("country", country, "country (TH)"), ("from", from, "issued from yyyy-MM-dd"), ("to", to, "to yyyy-MM-dd") })
        {
            html.Append(CultureInfo.InvariantCulture, $"<input name={name} id=search-{name} placeholder='{AdminLayout.E(hint)}' value='{AdminLayout.E(value)}'> ");
        }
        html.Append("<select name=status id=search-status><option value=''>any state</option>");
        foreach (var state in Enum.GetNames<DocumentState>())
        {
            html.Append(CultureInfo.InvariantCulture, $"<option{(string.Equals(state, status, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{state}</option>");
        }
        return html.Append("</select> <button id=search>Search</button></form>").ToString();
    }

    private static string Table(List<DocumentRecord> documents)
    {
        if (documents.Count == 0)
        {
            return "<p id=no-documents>No document matches.</p>";
        }
        var html = new StringBuilder("<table id=documents><tr><th>Number</th><th>Type</th><th>Function</th><th>Issued</th><th>From → To</th><th>Partner</th><th>State</th><th>Received</th><th>Message</th></tr>");
        foreach (var d in documents)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href='/documents/{d.Id}'>{AdminLayout.E(d.Number.Length == 0 ? "(no number)" : d.Number)}</a></td><td>{AdminLayout.E(d.Type)}</td><td>{d.Function}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{d.IssueDate:yyyy-MM-dd}</td><td>{AdminLayout.E(d.IssuingCountry)} → {AdminLayout.E(d.DestinationCountry)}</td><td>{AdminLayout.E(d.SourcePartner)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class='{d.State}'>{d.State}</td><td>{d.RecordedAt:yyyy-MM-dd HH:mm:ss}</td><td><a href='/messages/{AdminLayout.E(d.MessageId)}'>{AdminLayout.E(d.MessageId)}</a> #{d.MessageIndex + 1}</td></tr>");
        }
        return html.Append("</table>").ToString();
    }

    private static string Pager(HttpContext http, int page, bool more)
    {
        string Link(int to) => "?" + string.Join("&", http.Request.Query.Where(q => q.Key != "page").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"page={to.ToString(CultureInfo.InvariantCulture)}"));
        var html = new StringBuilder("<p id=pager>");
        if (page > 1)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a id=previous href='{AdminLayout.E(Link(page - 1))}'>← previous</a> ");
        }
        html.Append(CultureInfo.InvariantCulture, $"page {page}");
        if (more)
        {
            html.Append(CultureInfo.InvariantCulture, $" <a id=next href='{AdminLayout.E(Link(page + 1))}'>next →</a>");
        }
        return html.Append("</p>").ToString();
    }
}
