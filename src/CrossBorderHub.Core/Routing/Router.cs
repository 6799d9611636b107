using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Text;

namespace CrossBorderHub.Core.Routing;

/// <summary>
/// Picks the route for a document: routes are tried in configuration order and the first whose every set criterion
/// matches wins (like firewall rules: predictable, and an admin reads them top to bottom).
/// </summary>
public sealed class Router(HubOptions options)
{
    public RouteMatch? Match(DocumentIdentity identity, string sourcePartner)
    {
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            if (Matches(route.Sender, identity.Sender)
                && Matches(route.Recipient, identity.Recipient)
                && MatchesDocumentType(route.DocumentType, identity.DocumentType)
                && Matches(route.Country, identity.DestinationCountry)
                && Matches(route.SourcePartner, sourcePartner)
                && (route.Test is null || route.Test == identity.IsTest))
            {
                return new RouteMatch(route.Name ?? $"route {i}", i, route);
            }
        }
        return null;
    }

    private static bool Matches(string? pattern, string? value) =>
        string.IsNullOrEmpty(pattern) || pattern == "*" || string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase);

    // An interchange may carry several message types ("CUSDEC+CUSCAR"): a route for one of them matches.
    private static bool MatchesDocumentType(string? pattern, string value) =>
        string.IsNullOrEmpty(pattern) || pattern == "*"
        || value.Split('+').Any(type => string.Equals(pattern, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>Says why nothing matched, for the rejection reason.</summary>
    public static string Describe(DocumentIdentity identity, string sourcePartner) =>
        $"no route matches source partner {sourcePartner}, sender '{PartnerText.Escape(identity.Sender ?? "-")}', recipient '{PartnerText.Escape(identity.Recipient ?? "-")}', " +
        $"document type '{(identity.DocumentType.Length == 0 ? "-" : PartnerText.Escape(identity.DocumentType))}', country '{PartnerText.Escape(identity.DestinationCountry ?? "-")}'" +
        $"{(identity.IsTest ? ", test" : "")}: add a route under Hub:Routes";
}

public sealed record RouteMatch(string Name, int Index, RouteOptions Route)
{
    /// <summary>The payload steps of this route, in order: mapping first, then signature.</summary>
    public IReadOnlyList<string> Steps
    {
        get
        {
            var steps = new List<string>();
            if (!string.IsNullOrWhiteSpace(Route.Mapping))
            {
                steps.Add("map:" + Route.Mapping);
            }
            if (!string.IsNullOrWhiteSpace(Route.Sign) && !string.Equals(Route.Sign, "none", StringComparison.OrdinalIgnoreCase))
            {
                steps.Add("sign:" + Route.Sign.ToLowerInvariant());
            }
            return steps;
        }
    }
}
