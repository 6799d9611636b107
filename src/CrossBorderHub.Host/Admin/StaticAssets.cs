using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// Serves Admin/wwwroot (vendored libraries and the pages' own scripts) from resources embedded in hub.dll, so a
/// copied hub folder carries them and the admin web works with no internet. Anonymous: nothing there is a secret,
/// and the login page may use it.
/// </summary>
internal static class StaticAssets
{
    private const string Prefix = "wwwroot/";
    private static readonly FileExtensionContentTypeProvider Types = new();

    public static RouteGroupBuilder MapStaticAssets(this RouteGroupBuilder group)
    {
        var assembly = typeof(StaticAssets).Assembly;
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[Prefix.Length..].Replace('\\', '/'), StringComparer.Ordinal);
        group.MapGet("/static/{**path}", (string path, HttpContext http) =>
        {
            if (!names.TryGetValue(path, out var resource))
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "public, max-age=3600";
            var type = Types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            return Results.Stream(Open(assembly, resource), type);
        }).AllowAnonymous();
        return group;
    }

    private static Stream Open(Assembly assembly, string resource) =>
        assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"embedded resource '{resource}' listed but not readable");
}
