namespace CrossBorderHub.Storage.Tests;

/// <summary>
/// A delivery batch reads its messages in one query. On PostgreSQL the list went out as "IN $1" (Dapper hands Npgsql
/// a list as one array parameter), a syntax error that stopped every delivery of the failover test's cluster.
/// </summary>
public abstract partial class StoreContract
{
    [Test]
    public async Task Several_messages_are_read_in_one_call_and_unknown_ids_are_left_out()
    {
        var one = await Store.RecordReceivedAsync(New("a1"), T0.AddDays(-1), CancellationToken.None);
        var two = await Store.RecordReceivedAsync(New("b2"), T0.AddDays(-1), CancellationToken.None);

        var found = await Store.GetManyAsync([one.Id, two.Id, one.Id, "no-such-message"], CancellationToken.None);

        Assert.That(found.Keys, Is.EquivalentTo(new[] { one.Id, two.Id }));
        Assert.That(found[two.Id].BlobHash, Is.EqualTo(two.BlobHash));
    }
}
