using CrossBorderHub.Core.Alerts;
using CrossBorderHub.Core.Security;

namespace CrossBorderHub.Storage.Tests;

/// <summary>The admin cockpit's reads and state on every dialect: keyset paging with a total, direction, audit search, alert state.</summary>
public abstract partial class StoreContract
{
    private SqlDialect Dialect => ((DapperMessageStore)Store).Dialect;

    [Test]
    public async Task Messages_page_by_cursor_without_gaps_or_repeats_and_count_every_match()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            // Two share a time: the id breaks the tie, so the cursor neither skips nor repeats them.
            ids.Add((await Store.RecordReceivedAsync(New(at: T0.AddMinutes(i < 2 ? 0 : i)), T0.AddDays(-1), CancellationToken.None)).Id);
        }
        await Store.RecordReceivedAsync(New(partner: "HUB", at: T0.AddMinutes(10)), T0.AddDays(-1), CancellationToken.None);
        var query = new MessageQuery { Direction = MessageDirection.Inbound, Limit = 2 };
        Assert.That(await Queries.CountAsync(query, CancellationToken.None), Is.EqualTo(5));
        var seen = new List<string>();
        for (MessageCursor? cursor = null; ;)
        {
            var page = await Queries.FindAsync(query with { Before = cursor }, CancellationToken.None);
            seen.AddRange(page.Select(m => m.Id));
            if (page.Count < query.Limit)
            {
                break;
            }
            cursor = MessageCursor.Parse(MessageCursor.Of(page[^1]).ToString());
        }
        Assert.That(seen, Is.EquivalentTo(ids).And.Unique);
        Assert.That((await Queries.FindAsync(new MessageQuery { Direction = MessageDirection.Outbound }, CancellationToken.None)).Single().SourcePartner, Is.EqualTo("HUB"));
        Assert.That(await Queries.CountAsync(new MessageQuery { From = T0.AddMinutes(3), To = T0.AddMinutes(5) }, CancellationToken.None), Is.EqualTo(2));
        Assert.That(MessageCursor.Parse("not a cursor"), Is.Null);
    }

    [Test]
    public async Task The_audit_search_takes_percent_and_underscore_literally_and_pages_by_id()
    {
        var users = Users;
        foreach (var (user, action, detail) in new[] { ("ann", "replay", "message 100% done"), ("bob", "replay", "message 100x done"), ("ann", "login", "user_a"), ("ann", "login", "userXa") })
        {
            await users.AddAsync(T0, user, "10.0.0.1", action, detail, CancellationToken.None);
        }
        var search = new DapperAuditSearch(Dialect);
        Assert.That((await search.SearchAsync(new AuditQuery(Text: "100%"), CancellationToken.None)).Single().User, Is.EqualTo("ann"));
        Assert.That((await search.SearchAsync(new AuditQuery(Text: "user_a"), CancellationToken.None)).Single().Detail, Is.EqualTo("user_a"));
        Assert.That(await search.CountAsync(new AuditQuery(Text: "%"), CancellationToken.None), Is.EqualTo(1));
        Assert.That(await search.CountAsync(new AuditQuery(User: "ann", Action: "login"), CancellationToken.None), Is.EqualTo(2));
        Assert.That(await search.CountAsync(new AuditQuery(From: T0.AddSeconds(1)), CancellationToken.None), Is.EqualTo(0));
        var first = await search.SearchAsync(new AuditQuery(Limit: 3), CancellationToken.None);
        var rest = await search.SearchAsync(new AuditQuery(Before: first[^1].Id, Limit: 3), CancellationToken.None);
        Assert.That(first.Concat(rest).Select(e => e.Detail), Is.EqualTo(new[] { "userXa", "user_a", "message 100x done", "message 100% done" }));
        Assert.That(await search.ActionsAsync(CancellationToken.None), Is.EqualTo(new[] { "login", "replay" }));
    }

    [Test]
    public async Task An_alert_is_raised_once_until_it_clears_and_may_be_raised_again_afterwards()
    {
        var alerts = new DapperAlertStore(Dialect);
        var alert = new AlertRecord("dead-letter:m1", "dead-letter", "m1 is dead-lettered", "partner down", T0, null);
        Assert.That(await alerts.RaiseAsync(alert, CancellationToken.None), Is.True);
        Assert.That(await alerts.RaiseAsync(alert with { RaisedAt = T0.AddMinutes(1) }, CancellationToken.None), Is.False, "open already: not notified again");
        Assert.That((await alerts.OpenAsync(CancellationToken.None)).Single(), Is.EqualTo(alert));
        Assert.That(await alerts.ClearAsync("dead-letter:m1", T0.AddMinutes(2), CancellationToken.None), Is.True);
        Assert.That(await alerts.ClearAsync("dead-letter:m1", T0.AddMinutes(3), CancellationToken.None), Is.False, "cleared once");
        Assert.That(await alerts.OpenAsync(CancellationToken.None), Is.Empty);
        Assert.That((await alerts.RecentAsync(10, CancellationToken.None)).Single().ClearedAt, Is.EqualTo(T0.AddMinutes(2)));
        Assert.That(await alerts.RaiseAsync(alert with { RaisedAt = T0.AddMinutes(5) }, CancellationToken.None), Is.True, "the condition came back");
        Assert.That((await alerts.OpenAsync(CancellationToken.None)).Single().RaisedAt, Is.EqualTo(T0.AddMinutes(5)));
    }
}
