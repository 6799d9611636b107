using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.Composition;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// /routes: the routes of the running version in their order (the first that matches wins), and (admin) a form per
/// route: position, match criteria, mapping, signing and destinations. Saved as a new configuration version.
/// </summary>
internal static class RoutePages
{
    private static readonly string[] Criteria = ["Sender", "Recipient", "DocumentType", "Country", "SourcePartner"];
    private static readonly string[] SignModes = ["none", "document", "envelope"];

    public static void MapRoutePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/routes", (HttpContext http, CurrentConfiguration current) => AdminLayout.Page(http, "Routes", List(http, current)));
        app.MapGet("/routes/edit", (HttpContext http, CurrentConfiguration current, IAntiforgery antiforgery, int? index) =>
        {
            var routes = Routes(current.Document);
            if (index is { } i && (i < 0 || i >= routes.Count))
            {
                return AdminLayout.Page(http, "No such route", $"<p>There is no route {i}: see <a href='/routes'>the routes</a>.</p>", statusCode: StatusCodes.Status404NotFound);
            }
            var route = index is { } at ? routes[at]!.AsObject() : new JsonObject();
            return AdminLayout.Page(http, index is null ? "New route" : $"Route {index}", Form(http, antiforgery, index, index ?? routes.Count, route, []));
        }).RequireAuthorization(AdminPolicies.Admin);
        app.MapPost("/routes/save", async (HttpContext http, CurrentConfiguration current, IAntiforgery antiforgery) =>
        {
            if (await LoginEndpoints.RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var document = current.Document.DeepClone().AsObject();
            var routes = Routes(document);
            int? original = int.TryParse(form["original"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) && o < routes.Count ? o : null;
            var route = original is { } at ? routes[at]!.DeepClone().AsObject() : new JsonObject();
            Apply(form, route);
            if (original is { } old)
            {
                routes.RemoveAt(old);
            }
            var position = int.TryParse(form["Position"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Min(p, routes.Count) : routes.Count;
            routes.Insert(position, route);
            var saved = await current.SaveAsync(document, ConfigurationEndpoints.User(http), ConfigurationEndpoints.Address(http),
                PartnerPages.Comment(form, $"route {position}{(route["Name"] is { } n ? $" ({n})" : "")} saved"), null, http.RequestAborted);
            return saved.Version is { } version
                ? Results.Redirect($"/routes?saved={version}")
                : AdminLayout.Page(http, original is null ? "New route" : $"Route {original}", Form(http, antiforgery, original, position, route, saved.Errors), statusCode: StatusCodes.Status422UnprocessableEntity);
        }).RequireAuthorization(AdminPolicies.Admin).DisableAntiforgery();
        app.MapPost("/routes/remove", async (HttpContext http, CurrentConfiguration current, IAntiforgery antiforgery) =>
        {
            if (await LoginEndpoints.RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var document = current.Document.DeepClone().AsObject();
            var routes = Routes(document);
            if (!int.TryParse(form["original"], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= routes.Count)
            {
                return AdminLayout.Page(http, "No such route", "<p>That route does not exist any more: see <a href='/routes'>the routes</a>.</p>", statusCode: StatusCodes.Status404NotFound);
            }
            routes.RemoveAt(index);
            var saved = await current.SaveAsync(document, ConfigurationEndpoints.User(http), ConfigurationEndpoints.Address(http), $"route {index} removed", null, http.RequestAborted);
            return saved.Version is { } version
                ? Results.Redirect($"/routes?saved={version}")
                : AdminLayout.Page(http, $"Route {index} not removed", FormErrors.List(saved.Errors), statusCode: StatusCodes.Status422UnprocessableEntity);
        }).RequireAuthorization(AdminPolicies.Admin).DisableAntiforgery();
    }

    private static JsonArray Routes(JsonObject document)
    {
        if (document["Routes"] is not JsonArray routes)
        {
            routes = [];
            document["Routes"] = routes;
        }
        return routes;
    }

    private static string Str(JsonNode? node) => node is JsonValue v ? v.ToString() : "";

    private static void Apply(IFormCollection form, JsonObject route)
    {
        foreach (var key in Criteria.Append("Name").Append("Mapping"))
        {
            var value = form[key].ToString().Trim();
            if (value.Length == 0)
            {
                route.Remove(key);
            }
            else
            {
                route[key] = value;
            }
        }
        var test = form["Test"].ToString();
        if (test is "true" or "false")
        {
            route["Test"] = test == "true";
        }
        else
        {
            route.Remove("Test");
        }
        route["To"] = new JsonArray(form["To"].ToString().Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        route["Sign"] = form["Sign"].ToString() is { Length: > 0 } sign ? sign : "none";
        route["SplitMessages"] = form["SplitMessages"] == "true";
    }

    private static string List(HttpContext http, CurrentConfiguration current)
    {
        var admin = http.User.IsInRole(Core.Security.HubRoles.Admin);
        var html = new StringBuilder();
        if (http.Request.Query["saved"].ToString() is { Length: > 0 } saved)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=ok id=saved>Saved as configuration version {AdminLayout.E(saved)}; it applies on the next poll.</p>");
        }
        html.Append(CultureInfo.InvariantCulture, $"<p>Configuration version {current.Version}; the first route that matches wins.{(admin ? " <a href='/routes/edit' id=add-route>Add a route</a>" : " Only an admin may change routes.")}</p>");
        html.Append("<table id=routes><tr><th>#</th><th>Name</th><th>Match</th><th>Mapping</th><th>Sign</th><th>To</th></tr>");
        var routes = Routes(current.Document.DeepClone().AsObject());
        for (var i = 0; i < routes.Count; i++)
        {
            var r = routes[i] as JsonObject ?? [];
            var match = string.Join(", ", Criteria.Append("Test").Where(c => Str(r[c]).Length > 0).Select(c => $"{c}={Str(r[c])}"));
            var to = r["To"] is JsonArray a ? string.Join(", ", a.Select(Str)) : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr id='route-{i}'><td>{(admin ? $"<a href='/routes/edit?index={i}'>{i}</a>" : i.ToString(CultureInfo.InvariantCulture))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{AdminLayout.E(Str(r["Name"]))}</td><td>{AdminLayout.E(match)}</td><td>{AdminLayout.E(Str(r["Mapping"]))}</td><td>{AdminLayout.E(Str(r["Sign"]))}</td><td>{AdminLayout.E(to)}</td></tr>");
        }
        return html.Append("</table>").ToString();
    }

    private static string Form(HttpContext http, IAntiforgery antiforgery, int? original, int position, JsonObject r, IReadOnlyList<string> errors)
    {
        // The validator names a route by its position in the saved list: Hub:Routes:3 (name):To ...
        var path = $"Hub:Routes:{position}" + (r["Name"] is { } n ? $" ({n})" : "");
        var fields = Criteria.Concat(["Name", "Mapping", "To", "Sign", "Test"]).ToList();
        string Err(string field) => FormErrors.Beside(errors, $"{path}:{field}", field);
        var html = new StringBuilder("<p><a href='/routes'>← routes</a></p>");
        var rest = FormErrors.Rest(errors, fields.Select(f => $"{path}:{f}"));
        if (rest.Count > 0)
        {
            html.Append(FormErrors.List(rest));
        }
        html.Append("<form method=post action='/routes/save' id=route-form>").Append(LoginEndpoints.TokenField(http, antiforgery))
            .Append(CultureInfo.InvariantCulture, $"<input type=hidden name=original value='{original}'>")
            .Append(CultureInfo.InvariantCulture, $"<label for=Position>Position (0 is tried first)</label><input id=Position name=Position type=number min=0 value={position}>")
            .Append(CultureInfo.InvariantCulture, $"<label for=Name>Name</label><input id=Name name=Name value='{AdminLayout.E(Str(r["Name"]))}'>{Err("Name")}")
            .Append("<fieldset><legend>Match (empty or * is any)</legend>");
        foreach (var criterion in Criteria)
        {
            html.Append(CultureInfo.InvariantCulture, $"<label for={criterion}>{criterion}</label><input id={criterion} name={criterion} value='{AdminLayout.E(Str(r[criterion]))}'>{Err(criterion)}");
        }
        html.Append("<label for=Test>Test interchanges</label>")
            .Append(CultureInfo.InvariantCulture, $"<select id=Test name=Test><option value=''>both</option><option value=true{(Str(r["Test"]) == "true" ? " selected" : "")}>only test</option><option value=false{(Str(r["Test"]) == "false" ? " selected" : "")}>only production</option></select></fieldset>")
            .Append(CultureInfo.InvariantCulture, $"<label for=Mapping>Mapping (a folder under the mappings path; empty for none)</label><input id=Mapping name=Mapping value='{AdminLayout.E(Str(r["Mapping"]))}'>{Err("Mapping")}")
            .Append("<label for=Sign>Sign</label>").Append(PartnerPages.Select("Sign", SignModes, Str(r["Sign"]) is { Length: > 0 } s ? s : "none")).Append(Err("Sign"))
            .Append(CultureInfo.InvariantCulture, $"<label><input type=checkbox name=SplitMessages value=true{(Str(r["SplitMessages"]) == "true" ? " checked" : "")}> Deliver each EDIFACT message on its own</label>")
            .Append(CultureInfo.InvariantCulture, $"<label for=To>Deliver to (partners, comma-separated)</label><input id=To name=To value='{AdminLayout.E(r["To"] is JsonArray a ? string.Join(", ", a.Select(Str)) : "")}'>{Err("To")}")
            .Append(FormErrors.Beside(errors, path + ": step", "steps"))
            .Append("<label for=comment>Comment for the history</label><input id=comment name=comment size=60>")
            .Append("<p><button id=save>Save as a new version</button></p></form>");
        if (original is { } index)
        {
            html.Append("<form method=post action='/routes/remove'>").Append(LoginEndpoints.TokenField(http, antiforgery))
                .Append(CultureInfo.InvariantCulture, $"<input type=hidden name=original value={index}><button id=remove>Remove route {index}</button></form>");
        }
        return html.ToString();
    }
}
