using CrossBorderHub.Core.Mapping;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// GET /api/mappings: the mappings of the running hub (name, version, source -> target, state, errors, content hash),
/// after picking up any edit; GET /api/messages/{id}/mapped: the mapped payload of a message (the original stays at
/// /content).
/// </summary>
internal static class MappingEndpoints
{
    public static void MapMappings(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/mappings", (MappingRegistry mappings, HttpContext http, string? cursor, string? limit) =>
        {
            mappings.ReloadIfChanged();
            return ApiPaging.InMemory(http, mappings.Entries.Select(e => new
            {
                name = e.Name,
                version = e.Mapping?.Descriptor.Version,
                kind = e.Mapping?.Descriptor.Kind,
                source = e.Mapping is { } s ? MappedEvent.End(s.Descriptor.Source) : null,
                target = e.Mapping is { } t ? MappedEvent.End(t.Descriptor.Target) : null,
                state = e.State,
                lastError = e.Errors.Count > 0 ? e.Errors[0].ToString() : null,
                errors = e.Errors.Select(x => x.ToString()),
                contentHash = e.Mapping?.Descriptor.ContentHash,
            }).ToList(), cursor, limit);
        }).WithTags("Mappings").WithSummary("The mappings of the running hub; cursor paged");
        app.MapGet("/api/messages/{id}/mapped", async (string id, IMessageQueries store, IBlobStore blobs, CancellationToken ct) =>
        {
            var message = await store.GetAsync(id, ct);
            if (message is null)
            {
                return MessageListRequest.NoSuchMessage(id);
            }
            var hash = (await store.GetEventsAsync(id, ct)).LastOrDefault(e => e.Kind == MappedEvent.Kind) is { } mapped ? MappedEvent.OutputHash(mapped.Detail) : null;
            if (hash is null)
            {
                return Results.Problem(title: "Not mapped", detail: $"message '{id}' was not mapped (its route has no Mapping, or the mapping refused it: see its events); the original is at /api/messages/{id}/content.", statusCode: StatusCodes.Status404NotFound);
            }
            return !blobs.Exists(hash)
                ? Results.Problem(title: "Content missing", detail: $"the mapped payload of message '{id}' ({hash}) is not in the blob store: restore the blob folder from backup, or replay the message.", statusCode: StatusCodes.Status404NotFound)
                : Results.Stream(blobs.OpenRead(hash), "application/octet-stream", "mapped-" + message.RemoteName);
        });
    }
}
