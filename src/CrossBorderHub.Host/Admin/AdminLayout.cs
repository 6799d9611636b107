using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Host.Admin.Security;
using Microsoft.AspNetCore.Antiforgery;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// The frame every admin page shares: the navigation (only the sections the user's role may open), the signed-in
/// user with the logout form, one style sheet, and the vendored scripts a page asks for. Pages render their body as
/// HTML-encoded text and hand it here; scripts come from /static only (the CSP allows no inline script).
/// </summary>
internal static class AdminLayout
{
    /// <summary>Sections in the order of the navigation; the role is the least one that may open the page.</summary>
    public static readonly IReadOnlyList<(string Href, string Label, string Role)> Sections =
    [
        ("/", "Messages", HubRoles.Viewer),
        ("/documents", "Documents", HubRoles.Viewer),
        ("/statistics", "Statistics", HubRoles.Viewer),
        ("/partners", "Partners", HubRoles.Viewer),
        ("/routes", "Routes", HubRoles.Viewer),
        ("/certificates", "Certificates", HubRoles.Viewer),
        ("/mappings", "Mappings", HubRoles.Viewer),
        ("/alerts", "Alerts", HubRoles.Viewer),
        ("/config", "Configuration", HubRoles.Admin),
        ("/users", "Users", HubRoles.Admin),
        ("/audit", "Audit", HubRoles.Admin),
    ];

    public const string Style = "body{font-family:system-ui,sans-serif;margin:0;color:#222}main{margin:1.5rem}" +
        "nav{background:#1f3a5f;padding:.5rem 1.5rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}nav a{color:#fff;text-decoration:none}" +
        "nav a.here{font-weight:bold;text-decoration:underline}nav form{margin-left:auto;color:#fff}" +
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;font-size:.9rem}th{background:#f4f4f4}" +
        ".Rejected,.DeadLettered,.error,.FailedDelivery{color:#b00020}.Delivered,.Acknowledged,.ok{color:#1b6e20}.stat{display:inline-block;margin-right:1.2rem}" +
        "label{display:block;margin-top:.5rem;font-weight:600}input,select,textarea{font:inherit}.field-error{color:#b00020;font-size:.85rem}" +
        "pre{background:#f7f7f7;padding:.5rem;overflow:auto}";

    /// <summary>Vendored scripts (wwwroot/vendor, see its README) a page may ask for by name.</summary>
    public static class Scripts
    {
        public const string Htmx = "/static/vendor/htmx/htmx.min.js";
        public const string Chart = "/static/vendor/chartjs/chart.umd.min.js";
        public const string CodeMirror = "/static/vendor/codemirror/codemirror.js";
        public const string CodeMirrorCss = "/static/vendor/codemirror/codemirror.css";
        public const string CodeMirrorJson = "/static/vendor/codemirror/mode/javascript.js";
        public const string CodeMirrorXml = "/static/vendor/codemirror/mode/xml.js";
    }

    public static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    public static bool MayOpen(ClaimsPrincipal user, string role) => role == HubRoles.Admin ? user.IsInRole(HubRoles.Admin) : AdminPolicies.Roles[AdminPolicies.Viewer].Any(user.IsInRole);

    /// <summary>A whole page. <paramref name="body"/> is trusted HTML the caller built with every value encoded.</summary>
    public static IResult Page(HttpContext http, string title, string body, IEnumerable<string>? scripts = null, int statusCode = StatusCodes.Status200OK)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var path = http.Request.Path.Value ?? "/";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!doctype html><html lang=en><head><meta charset=utf-8><title>{E(title)} · CrossBorderHub</title><style>{Style}</style>");
        foreach (var script in scripts ?? [])
        {
            html.Append(script.EndsWith(".css", StringComparison.Ordinal)
                ? $"<link rel=stylesheet href='{E(script)}'>"
                : $"<script src='{E(script)}' defer></script>");
        }
        html.Append("</head><body><nav id=nav>");
        foreach (var (href, label, role) in Sections.Where(s => MayOpen(http.User, s.Role)))
        {
            var here = href == "/" ? path == "/" : path.StartsWith(href, StringComparison.Ordinal);
            html.Append(CultureInfo.InvariantCulture, $"<a href='{href}'{(here ? " class=here" : "")}>{label}</a>");
        }
        html.Append(CultureInfo.InvariantCulture, $"<form method=post action='/logout' id=session>{LoginEndpoints.TokenField(http, antiforgery)}{E(http.User.Identity?.Name)} · <button id=logout>Log out</button></form></nav>");
        html.Append(CultureInfo.InvariantCulture, $"<main><h1>{E(title)}</h1>{body}</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: statusCode);
    }
}
