using System.Globalization;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Host.Admin;

/// <summary>
/// The query string of GET /api/messages, read strictly: a value the API cannot honour (a status that does not
/// exist, a limit that is not a number) is a 400 naming the parameter and the valid values. Ignoring it would answer
/// with every row, which a caller cannot tell from a correct answer.
/// </summary>
internal static class MessageListRequest
{
    public const int MaxLimit = 1000;

    public static (MessageQuery? Query, IResult? Problem) Read(string? status, string? partner, string? type, string? q, string? limit, string? offset)
    {
        MessageStatus? parsed = null;
        if (status is not null)
        {
            // Enum.TryParse also takes numbers ("7") and comma lists: only a defined name is a status.
            if (!Enum.TryParse<MessageStatus>(status, ignoreCase: true, out var value) || !Enum.GetNames<MessageStatus>().Contains(status, StringComparer.OrdinalIgnoreCase))
            {
                return (null, BadRequest("status", status, $"use one of {string.Join(", ", Enum.GetNames<MessageStatus>())}, or leave it out for every status"));
            }
            parsed = value;
        }
        if (!TryCount(limit, 1, MaxLimit, 100, out var count))
        {
            return (null, BadRequest("limit", limit!, $"use a whole number from 1 to {MaxLimit}"));
        }
        if (!TryCount(offset, 0, int.MaxValue, 0, out var skip))
        {
            return (null, BadRequest("offset", offset!, "use a whole number of rows to skip, 0 or more"));
        }
        return (new MessageQuery { Status = parsed, Partner = partner, DocumentType = type, Text = q, Limit = count, Offset = skip }, null);
    }

    private static bool TryCount(string? text, int min, int max, int fallback, out int value)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static IResult BadRequest(string parameter, string value, string fix) =>
        Results.Problem(
            title: $"Invalid query parameter '{parameter}'",
            detail: $"{parameter} '{value}' is not valid: {fix}.",
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter, ["value"] = value });

    /// <summary>404 with a problem body, so a client sees which id was not found rather than an empty response.</summary>
    public static IResult NoSuchMessage(string id) =>
        Results.Problem(
            title: "No such message",
            detail: $"there is no message '{id}': list ids with GET /api/messages or hub messages.",
            statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["id"] = id });
}
