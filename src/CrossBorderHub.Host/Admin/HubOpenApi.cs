namespace CrossBorderHub.Host.Admin;

/// <summary>
/// The REST API's OpenAPI document (Microsoft.AspNetCore.OpenApi), served at /openapi/v1.json on the admin port
/// only and behind the same login as the API it describes. The pages (HTML) are excluded from it.
/// </summary>
internal static class HubOpenApi
{
    public const string Path = "/openapi/{documentName}.json";

    public static IServiceCollection AddHubOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CrossBorderHub admin API";
            document.Info.Version = "v1";
            document.Info.Description = "Every list pages with a cursor: X-Total-Count gives every match, X-Next-Cursor (and a Link rel=\"next\") the next page's cursor parameter. " +
                                        "A bad query value is a 400 application/problem+json naming the parameter and the allowed values; an unknown id a 404 problem. " +
                                        "Authenticate with a session cookie (the login page) or 'Authorization: Bearer TOKEN' (hub users add NAME --role R --token).";
            return Task.CompletedTask;
        }));

    public static void MapHubOpenApi(this IEndpointRouteBuilder app) => app.MapOpenApi(Path).ExcludeFromDescription();
}
