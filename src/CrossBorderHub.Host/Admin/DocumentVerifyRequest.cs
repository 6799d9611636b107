using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// GET /api/documents/verify and `hub documents verify`: type, number and country are all required (a lookup by
/// number alone could answer for another country's certificate); every missing or malformed one is named at once.
/// </summary>
internal static class DocumentVerifyRequest
{
    public static (VerifyQuery? Query, IReadOnlyList<string> Problems) Read(string? type, string? number, string? country)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(type))
        {
            problems.Add("type is required: the document type, e.g. CertificateOfOrigin or CUSDEC");
        }
        if (string.IsNullOrWhiteSpace(number))
        {
            problems.Add("number is required: the document number as printed on it");
        }
        if (string.IsNullOrWhiteSpace(country))
        {
            problems.Add("country is required: the issuing country as an ISO 3166 two-letter code such as CN");
        }
        else if (country.Trim().Length != 2 || !country.Trim().All(char.IsAsciiLetter))
        {
            problems.Add($"country '{country}' is not valid: use an ISO 3166 two-letter code such as CN");
        }
        return problems.Count > 0 ? (null, problems) : (new VerifyQuery(type!.Trim(), number!.Trim(), country!.Trim().ToUpperInvariant()), problems);
    }

    /// <summary>The parameter each problem names (its first word), for the problem body.</summary>
    public static IReadOnlyList<string> Parameters(IReadOnlyList<string> problems) => problems.Select(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]).ToList();
}

/// <summary>
/// The verify endpoint, mapped on its own so that an authorisation policy (the least-privilege verifier role) can be
/// put on exactly this route (AdminEndpoints gives it AdminPolicies.Verifier).
/// </summary>
internal static class DocumentVerifyEndpoint
{
    public static RouteHandlerBuilder MapDocumentVerify(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/documents/verify", async (HttpContext http, IDocumentQueries documents, TimeProvider time, string? type, string? number, string? country, CancellationToken ct) =>
        {
            var (query, problems) = DocumentVerifyRequest.Read(type, number, country);
            if (query is null)
            {
                var parameters = DocumentVerifyRequest.Parameters(problems);
                return Results.Problem(
                    title: $"Invalid or missing query parameter(s): {string.Join(", ", parameters)}",
                    detail: string.Join("; ", problems) + ".",
                    statusCode: StatusCodes.Status400BadRequest,
                    extensions: new Dictionary<string, object?> { ["parameters"] = parameters });
            }
            var askedBy = $"api {http.User.Identity?.Name ?? "anonymous"} from {http.Connection.RemoteIpAddress}";
            return Results.Json(await documents.VerifyAsync(query, askedBy, time.GetUtcNow(), ct), Cli.MessagesVerb.Json);
        });
}
