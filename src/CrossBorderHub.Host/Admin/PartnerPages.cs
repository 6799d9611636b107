using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.Composition;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// /partners: the partners of the running version, and (admin) a form per partner: identifiers, country, validation,
/// APERAK, signature policy and each channel's type and settings (Key=Value lines, secrets masked). Saving writes a
/// new configuration version through <see cref="CurrentConfiguration.SaveAsync"/>: the start-up validator decides.
/// </summary>
internal static class PartnerPages
{
    private static readonly string[] Validations = ["none", "syntax", "envelope", "directory", "codes"];
    private static readonly string[] Aperaks = ["None", "Negative", "All"];
    private static readonly string[] Fields = ["Name", "Country", "Identifiers", "Validation", "Aperak", "AlwaysAcknowledge", "Signature", "Inbound", "Outbound"];

    public static void MapPartnerPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/partners", (HttpContext http, CurrentConfiguration current) => AdminLayout.Page(http, "Partners", List(http, current)));
        app.MapGet("/partners/edit", (HttpContext http, CurrentConfiguration current, IAntiforgery antiforgery, string? name) =>
        {
            var partners = current.Document["Partners"] as JsonObject ?? [];
            var partner = name is null ? new JsonObject() : partners[name] as JsonObject;
            return partner is null
                ? AdminLayout.Page(http, "No such partner", $"<p>No partner is named '{AdminLayout.E(name)}': see <a href='/partners'>the partners</a>.</p>", statusCode: StatusCodes.Status404NotFound)
                : AdminLayout.Page(http, name is null ? "New partner" : $"Partner {name}", Form(http, antiforgery, name, name ?? "", ConfigurationDocument.Masked(new JsonObject { ["p"] = partner.DeepClone() })["p"]!.AsObject(), []));
        }).RequireAuthorization(AdminPolicies.Admin);
        app.MapPost("/partners/save", async (HttpContext http, CurrentConfiguration current, IAntiforgery antiforgery) =>
        {
            if (await LoginEndpoints.RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var original = form["original"].ToString();
            var name = form["key"].ToString().Trim();
            var document = current.Document.DeepClone().AsObject();
            var partners = document["Partners"]!.AsObject();
            var partner = (original.Length > 0 ? partners[original]?.DeepClone() as JsonObject : null) ?? new JsonObject();
            Apply(form, partner);
            var errors = new List<string>();
            if (name.Length == 0 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
            {
                errors.Add($"Hub:Partners:{name}:Key '{name}' is not a short name: use letters, digits, '-' or '_' such as TH.");
            }
            else if (!name.Equals(original, StringComparison.OrdinalIgnoreCase) && partners.ContainsKey(name))
            {
                errors.Add($"Hub:Partners:{name}:Key '{name}' is taken by another partner: choose another short name or edit that partner.");
            }
            if (errors.Count == 0)
            {
                if (original.Length > 0)
                {
                    partners.Remove(original);
                }
                partners[name] = partner;
                var saved = await current.SaveAsync(document, ConfigurationEndpoints.User(http), ConfigurationEndpoints.Address(http), Comment(form, $"partner {name} saved"), null, http.RequestAborted);
                if (saved.Version is { } version)
                {
                    return Results.Redirect($"/partners?saved={version}");
                }
                errors.AddRange(saved.Errors);
            }
            // Shown again as typed (secrets masked), with every error beside its field.
            var shown = ConfigurationDocument.Masked(new JsonObject { ["p"] = partner.DeepClone() })["p"]!.AsObject();
            return AdminLayout.Page(http, original.Length == 0 ? "New partner" : $"Partner {original}", Form(http, antiforgery, original.Length == 0 ? null : original, name, shown, errors),
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }).RequireAuthorization(AdminPolicies.Admin).DisableAntiforgery();
        app.MapPost("/partners/remove", async (HttpContext http, CurrentConfiguration current, IAntiforgery antiforgery) =>
        {
            if (await LoginEndpoints.RefusedForgeryAsync(http, antiforgery) is { } refused)
            {
                return refused;
            }
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var name = form["original"].ToString();
            var document = current.Document.DeepClone().AsObject();
            document["Partners"]!.AsObject().Remove(name);
            var saved = await current.SaveAsync(document, ConfigurationEndpoints.User(http), ConfigurationEndpoints.Address(http), $"partner {name} removed", null, http.RequestAborted);
            return saved.Version is { } version
                ? Results.Redirect($"/partners?saved={version}")
                : AdminLayout.Page(http, $"Partner {name} not removed", FormErrors.List(saved.Errors) + "<p><a href='/partners'>← partners</a></p>", statusCode: StatusCodes.Status422UnprocessableEntity);
        }).RequireAuthorization(AdminPolicies.Admin).DisableAntiforgery();
    }

    public static string Comment(IFormCollection form, string fallback) => form["comment"].ToString().Trim() is { Length: > 0 } c ? c : fallback;

    private static string List(HttpContext http, CurrentConfiguration current)
    {
        var admin = http.User.IsInRole(Core.Security.HubRoles.Admin);
        var html = new StringBuilder();
        if (http.Request.Query["saved"].ToString() is { Length: > 0 } saved)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=ok id=saved>Saved as configuration version {AdminLayout.E(saved)}; it applies on the next poll.</p>");
        }
        html.Append(CultureInfo.InvariantCulture, $"<p>Configuration version {current.Version}.{(admin ? " <a href='/partners/edit' id=add-partner>Add a partner</a>" : " Only an admin may change partners.")}</p>");
        html.Append("<table id=partners><tr><th>Partner</th><th>Name</th><th>Country</th><th>Identifiers</th><th>Validation</th><th>Inbound</th><th>Outbound</th></tr>");
        foreach (var (name, node) in current.Document["Partners"] as JsonObject ?? [])
        {
            var p = node as JsonObject ?? [];
            var link = admin ? $"<a href='/partners/edit?name={Uri.EscapeDataString(name)}'>{AdminLayout.E(name)}</a>" : AdminLayout.E(name);
            html.Append(CultureInfo.InvariantCulture, $"<tr id='partner-{AdminLayout.E(name)}'><td>{link}</td><td>{AdminLayout.E(Str(p["Name"]))}</td><td>{AdminLayout.E(Str(p["Country"]))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{AdminLayout.E(string.Join(", ", Strings(p["Identifiers"])))}</td><td>{AdminLayout.E(Str(p["Validation"]))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{AdminLayout.E(Str(p["Inbound"]?["Type"]))}</td><td>{AdminLayout.E(Str(p["Outbound"]?["Type"]))}</td></tr>");
        }
        return html.Append("</table>").ToString();
    }

    /// <summary>The form's fields into the partner's JSON; settings the form does not show (Tolerance...) stay as they were.</summary>
    private static void Apply(IFormCollection form, JsonObject partner)
    {
        SetOrRemove(partner, "Name", form["Name"]);
        SetOrRemove(partner, "Country", form["Country"]);
        partner["Identifiers"] = new JsonArray(Split(form["Identifiers"], ',').Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
        partner["Validation"] = form["Validation"].ToString();
        partner["Aperak"] = form["Aperak"].ToString();
        partner["AlwaysAcknowledge"] = form["AlwaysAcknowledge"] == "true";
        partner["Signature"] = new JsonObject
        {
            ["Required"] = form["SignatureRequired"] == "true",
            ["TrustedCertificates"] = new JsonArray(Split(form["TrustedCertificates"], '\n').Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
        };
        foreach (var channel in new[] { "Inbound", "Outbound" })
        {
            var type = form[channel + "Type"].ToString().Trim();
            if (type.Length == 0)
            {
                partner.Remove(channel);
                continue;
            }
            var settings = new JsonObject { ["Type"] = type };
            foreach (var line in Split(form[channel + "Settings"], '\n'))
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                // A line without '=' is kept as a key with an empty value, so the validator names it instead of it vanishing.
                var (key, value) = equals < 0 ? (line, "") : (line[..equals].Trim(), line[(equals + 1)..].Trim());
                if (key.Length > 0 && !key.Equals("Type", StringComparison.OrdinalIgnoreCase))
                {
                    settings[key] = value;
                }
            }
            partner[channel] = settings;
        }
    }

    private static void SetOrRemove(JsonObject target, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value.Trim();
        }
    }

    private static IEnumerable<string> Split(string? value, char separator) =>
        (value ?? "").Split(separator).Select(s => s.Trim()).Where(s => s.Length > 0);

    private static string Str(JsonNode? node) => node is JsonValue v ? v.ToString() : "";

    private static IEnumerable<string> Strings(JsonNode? node) => node is JsonArray a ? a.Select(Str) : [];

    /// <summary>Nested settings (Tls: {Certificate: ...}) as Tls:Certificate=..., the form the configuration itself uses.</summary>
    private static IEnumerable<string> SettingLines(JsonNode? node, string prefix = "")
    {
        if (node is not JsonObject obj)
        {
            yield break;
        }
        foreach (var (key, value) in obj)
        {
            if (prefix.Length == 0 && key.Equals("Type", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (value is JsonObject or JsonArray)
            {
                var children = value is JsonArray array ? new JsonObject(array.Select((v, i) => KeyValuePair.Create(i.ToString(CultureInfo.InvariantCulture), v?.DeepClone()))) : value.AsObject();
                foreach (var line in SettingLines(children, prefix + key + ":"))
                {
                    yield return line;
                }
            }
            else
            {
                yield return $"{prefix}{key}={Str(value)}";
            }
        }
    }

    private static string Form(HttpContext http, IAntiforgery antiforgery, string? original, string name, JsonObject p, IReadOnlyList<string> errors)
    {
        var path = $"Hub:Partners:{name}";
        string Err(string field) => FormErrors.Beside(errors, $"{path}:{field}", field);
        var html = new StringBuilder("<p><a href='/partners'>← partners</a></p>");
        var rest = FormErrors.Rest(errors, Fields.Select(f => $"{path}:{f}").Append($"{path}:Key"));
        if (rest.Count > 0)
        {
            html.Append(FormErrors.List(rest));
        }
        html.Append("<form method=post action='/partners/save' id=partner-form>").Append(LoginEndpoints.TokenField(http, antiforgery))
            .Append(CultureInfo.InvariantCulture, $"<input type=hidden name=original value='{AdminLayout.E(original)}'>")
            .Append(CultureInfo.InvariantCulture, $"<label for=key>Short name</label><input id=key name=key value='{AdminLayout.E(name)}' required>{Err("Key")}")
            .Append(CultureInfo.InvariantCulture, $"<label for=Name>Name</label><input id=Name name=Name value='{AdminLayout.E(Str(p["Name"]))}'>{Err("Name")}")
            .Append(CultureInfo.InvariantCulture, $"<label for=Country>Country (ISO 3166 alpha-2)</label><input id=Country name=Country value='{AdminLayout.E(Str(p["Country"]))}'>{Err("Country")}")
            .Append(CultureInfo.InvariantCulture, $"<label for=Identifiers>Identifiers (UNB ids, XML sender ids; comma-separated)</label><input id=Identifiers name=Identifiers size=60 value='{AdminLayout.E(string.Join(", ", Strings(p["Identifiers"])))}'>{Err("Identifiers")}")
            .Append("<label for=Validation>Validation profile</label>").Append(Select("Validation", Validations, Str(p["Validation"]) is { Length: > 0 } v ? v : "codes")).Append(Err("Validation"))
            .Append("<label for=Aperak>APERAK</label>").Append(Select("Aperak", Aperaks, Str(p["Aperak"]) is { Length: > 0 } a ? a : "Negative")).Append(Err("Aperak"))
            .Append(CultureInfo.InvariantCulture, $"<label><input type=checkbox name=AlwaysAcknowledge value=true{(Str(p["AlwaysAcknowledge"]) == "true" ? " checked" : "")}> Always send a CONTRL</label>{Err("AlwaysAcknowledge")}")
            .Append(CultureInfo.InvariantCulture, $"<label><input type=checkbox id=SignatureRequired name=SignatureRequired value=true{(Str(p["Signature"]?["Required"]) == "true" ? " checked" : "")}> Signature required on XML documents</label>")
            .Append(CultureInfo.InvariantCulture, $"<label for=TrustedCertificates>Trusted certificate files (one per line)</label><textarea id=TrustedCertificates name=TrustedCertificates rows=2 cols=60>{AdminLayout.E(string.Join("\n", Strings(p["Signature"]?["TrustedCertificates"])))}</textarea>{Err("Signature")}");
        foreach (var channel in new[] { "Inbound", "Outbound" })
        {
            html.Append(CultureInfo.InvariantCulture, $"<fieldset><legend>{channel} channel</legend><label for={channel}Type>Type (folder, sftp, ftp, rabbitmq, as2; empty for none)</label>")
                .Append(CultureInfo.InvariantCulture, $"<input id={channel}Type name={channel}Type value='{AdminLayout.E(Str(p[channel]?["Type"]))}'>")
                .Append(CultureInfo.InvariantCulture, $"<label for={channel}Settings>Settings, one Key=Value a line (Path=drop/TH, Host=..., Password=...; a masked password is kept)</label>")
                .Append(CultureInfo.InvariantCulture, $"<textarea id={channel}Settings name={channel}Settings rows=4 cols=60>{AdminLayout.E(string.Join("\n", SettingLines(p[channel])))}</textarea>{Err(channel)}</fieldset>");
        }
        html.Append("<label for=comment>Comment for the history</label><input id=comment name=comment size=60>")
            .Append("<p><button id=save>Save as a new version</button></p></form>");
        if (original is not null)
        {
            html.Append("<form method=post action='/partners/remove'>").Append(LoginEndpoints.TokenField(http, antiforgery))
                .Append(CultureInfo.InvariantCulture, $"<input type=hidden name=original value='{AdminLayout.E(original)}'><button id=remove>Remove partner {AdminLayout.E(original)}</button></form>");
        }
        return html.ToString();
    }

    public static string Select(string name, IEnumerable<string> values, string selected) =>
        $"<select id={name} name={name}>" + string.Concat(values.Select(v => $"<option{(string.Equals(v, selected, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{AdminLayout.E(v)}</option>")) + "</select>";
}
