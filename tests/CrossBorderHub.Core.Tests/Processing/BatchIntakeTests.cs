using System.Text;
using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>
/// The intake's group commit (<see cref="Intake.AcceptManyAsync"/>): each item of a batch has its own outcome, the rows
/// of all stored items commit together, and duplicates are found within the batch as across batches.
/// </summary>
public sealed class BatchIntakeTests : BenchTests
{
    private static InboundItem Item(string name, string content) =>
        new(new InboundOrigin("CN", "inbound", name), () => new MemoryStream(Encoding.ASCII.GetBytes(content), writable: false));

    [Test]
    public async Task An_unreadable_item_fails_alone_and_the_rest_of_the_batch_is_stored()
    {
        var items = new List<InboundItem>
        {
            Item("a.edi", "first payload"),
            new(new InboundOrigin("CN", "inbound", "gone.edi"), () => throw new FileNotFoundException("gone.edi vanished")),
            Item("c.edi", "third payload"),
        };

        var outcomes = await Bench.Intake.AcceptManyAsync(items, CancellationToken.None);

        Assert.That(outcomes, Has.Count.EqualTo(3));
        Assert.That(outcomes[1].Result, Is.Null);
        Assert.That(outcomes[1].Error, Is.TypeOf<FileNotFoundException>());
        foreach (var (outcome, name) in new[] { (outcomes[0], "a.edi"), (outcomes[2], "c.edi") })
        {
            Assert.That(outcome.Error, Is.Null, name);
            var stored = await Bench.GetAsync(outcome.Result!.MessageId);
            Assert.That((stored.RemoteName, stored.Status), Is.EqualTo((name, MessageStatus.Received)));
        }
        var counts = await Bench.Queries.CountByStatusAsync(CancellationToken.None);
        Assert.That(counts.Values.Sum(), Is.EqualTo(2), "no row for the item that could not be read");
    }

    [Test]
    public async Task The_same_bytes_twice_in_one_batch_are_one_message_and_one_duplicate()
    {
        var outcomes = await Bench.Intake.AcceptManyAsync([Item("one.edi", "same bytes"), Item("two.edi", "same bytes")], CancellationToken.None);

        Assert.That(outcomes.Select(o => o.Result!.IsDuplicate), Is.EqualTo(new[] { false, true }));
        Assert.That((await Bench.GetAsync(outcomes[1].Result!.MessageId)).Status, Is.EqualTo(MessageStatus.Duplicate));
    }

    [Test]
    public async Task Every_item_of_a_large_batch_gets_its_own_message()
    {
        var items = Enumerable.Range(0, 40).Select(i => Item($"f{i:D2}.edi", $"payload {i}")).ToList();

        var outcomes = await Bench.Intake.AcceptManyAsync(items, CancellationToken.None);

        var ids = outcomes.Select(o => o.Result!.MessageId).ToList();
        Assert.That(ids.Distinct().Count(), Is.EqualTo(40));
        Assert.That((await Bench.Queries.CountByStatusAsync(CancellationToken.None))[MessageStatus.Received], Is.EqualTo(40));
    }
}
