using System.Globalization;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace CrossBorderHub.Host.Admin;

/// <summary>The raw query string of a message search, as the API and the messages page receive it.</summary>
internal sealed record MessageListParameters(
    [FromQuery(Name = "status")] string? Status = null, [FromQuery(Name = "partner")] string? Partner = null, [FromQuery(Name = "type")] string? Type = null,
    [FromQuery(Name = "q")] string? Q = null, [FromQuery(Name = "limit")] string? Limit = null, [FromQuery(Name = "offset")] string? Offset = null,
    [FromQuery(Name = "direction")] string? Direction = null, [FromQuery(Name = "from")] string? From = null, [FromQuery(Name = "to")] string? To = null, [FromQuery(Name = "cursor")] string? Cursor = null);

/// <summary>
/// The query string of GET /api/messages and of the messages page, read strictly: a value the API cannot honour (a
/// status that does not exist, a limit that is not a number) is a 400 naming the parameter and the valid values.
/// Ignoring it would answer with every row, which a caller cannot tell from a correct answer.
/// </summary>
internal static class MessageListRequest
{
    public const int MaxLimit = 1000;

    public static (MessageQuery? Query, IResult? Problem) Read(MessageListParameters p)
    {
        var (query, parameter, value, allowed) = Parse(p);
        return query is null ? (null, ApiPaging.BadQuery(parameter!, value!, allowed!)) : (query, null);
    }

    /// <summary>The query, or the parameter, its value and what is allowed (for the page to show beside the form).</summary>
    public static (MessageQuery? Query, string? Parameter, string? Value, string? Allowed) Parse(MessageListParameters p)
    {
        MessageStatus? status = null;
        if (Empty(p.Status) is { } statusText)
        {
            // Enum.TryParse also takes numbers ("7") and comma lists: only a defined name is a status.
            if (!Enum.TryParse<MessageStatus>(statusText, ignoreCase: true, out var value) || !Enum.GetNames<MessageStatus>().Contains(statusText, StringComparer.OrdinalIgnoreCase))
            {
                return (null, "status", statusText, $"one of {string.Join(", ", Enum.GetNames<MessageStatus>())}, or leave it out for every status");
            }
            status = value;
        }
        MessageDirection? direction = null;
        if (Empty(p.Direction) is { } directionText)
        {
            if (!Enum.TryParse<MessageDirection>(directionText, ignoreCase: true, out var value) || !Enum.GetNames<MessageDirection>().Contains(directionText, StringComparer.OrdinalIgnoreCase))
            {
                return (null, "direction", directionText, "Inbound (received from a partner) or Outbound (the hub's own replies)");
            }
            direction = value;
        }
        if (!ApiPaging.TryLimit(p.Limit, out var count))
        {
            return (null, "limit", p.Limit, $"a whole number from 1 to {MaxLimit}");
        }
        var skip = 0;
        if (p.Offset is not null && !int.TryParse(p.Offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            return (null, "offset", p.Offset, "a whole number of rows to skip, 0 or more (or page with cursor)");
        }
        MessageCursor? cursor = null;
        if (Empty(p.Cursor) is { } cursorText && (cursor = MessageCursor.Parse(cursorText)) is null)
        {
            return (null, "cursor", cursorText, "the X-Next-Cursor value of the previous page");
        }
        if (!TryTime(p.From, out var from))
        {
            return (null, "from", p.From, "a date (2024-01-31) or a UTC time (2024-01-31T08:00:00Z)");
        }
        if (!TryTime(p.To, out var to, endOfDay: true))
        {
            return (null, "to", p.To, "a date (2024-01-31, counted to its end) or a UTC time (2024-01-31T08:00:00Z)");
        }
        if (from is not null && to is not null && from >= to)
        {
            return (null, "from", p.From, $"a time before to '{p.To}'");
        }
        return (new MessageQuery
        {
            Status = status, Partner = Empty(p.Partner), DocumentType = Empty(p.Type), Text = Empty(p.Q), Direction = direction, From = from, To = to,
            Limit = count, Offset = skip, Before = cursor,
        }, null, null, null);
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static bool TryTime(string? text, out DateTimeOffset? time, bool endOfDay = false)
    {
        time = null;
        if (Empty(text) is not { } value)
        {
            return true;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            time = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + (endOfDay ? TimeSpan.FromDays(1) : TimeSpan.Zero);
            return true;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }
        return false;
    }

    /// <summary>404 with a problem body, so a client sees which id was not found rather than an empty response.</summary>
    public static IResult NoSuchMessage(string id) =>
        Results.Problem(
            title: "No such message",
            detail: $"there is no message '{id}': list ids with GET /api/messages or hub messages.",
            statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["id"] = id });
}
