using CrossBorderHub.Core.Channels;
using CsCheck;

namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>Property tests of the one delivery-naming function over hostile inbound names.</summary>
public sealed class DeliveryNameTests
{
    // Characters a partner can put in a file name that have bitten file systems: separators, dots, controls, ESC,
    // Windows-invalid, bidi overrides, line separators, lone and paired surrogates, multi-byte letters.
    private static readonly Gen<char> HostileChar = Gen.OneOf(
        Gen.OneOf('/', '\\', '.', ' ', '\0', '\n', '\r', '\u001b', '\u007f', ':', '*', '?', '"', '<', '>', '|',
            '\u202e', '\u2028', '\u00e9', '\u4e2d', '\ud83d', '\ude00'),
        Gen.Char);

    private static readonly Gen<string> HostileName = Gen.OneOf(
        HostileChar.Array[0, 400].Select(chars => new string(chars)),
        Gen.OneOf("..", ".", "/", "\\", "../../etc/passwd", "..\\..\\x", "inv.edi", ".hidden", "CON", new string('a', 300) + ".edi"));

    private static readonly Gen<string> MessageId = Gen.Int[1, 999_999].Select(n => $"20260102-{n:D6}");

    [Test]
    public void Deliveries_of_two_inbound_files_with_the_same_last_name_segment_never_share_a_remote_name()
    {
        static MessageRecord Message(string id, string name) => new()
        {
            Id = id, ReceivedAt = DateTimeOffset.UnixEpoch, SourcePartner = "CN", SourceChannel = "in", RemoteName = name,
            BlobHash = "00", Length = 1, Status = MessageStatus.Received,
        };

        var first = MessageProcessor.OutboundFileName(Message("20260102-000001", "p1\\inv.edi"));
        var second = MessageProcessor.OutboundFileName(Message("20260102-000002", "p2\\inv.edi"));

        Assert.That(first, Is.Not.EqualTo(second));
        Assert.That(first, Is.EqualTo("20260102-000001-p1_inv.edi"), "the name stays one path segment and keeps the message id");
    }

    [Test]
    public void Two_different_messages_never_share_a_delivery_name_whatever_their_inbound_names_hold()
    {
        Gen.Select(MessageId, MessageId, HostileName, HostileName)
            .Where((a, b, _, _) => a != b)
            .Sample((a, b, nameA, nameB) => DeliveryName.For(a, nameA) != DeliveryName.For(b, nameB), iter: 20_000);
    }

    [Test]
    public void A_delivery_name_is_one_safe_segment_within_the_byte_limit_deterministic_and_idempotent()
    {
        Gen.Select(MessageId, HostileName).Sample((id, name) =>
        {
            var result = DeliveryName.For(id, name);
            Assert.That(result, Does.StartWith(id + "-"), "the message id survives");
            Assert.That(Encoding.UTF8.GetByteCount(result), Is.LessThanOrEqualTo(DeliveryName.MaxBytes));
            Assert.That(result.IndexOfAny(['/', '\\', '<', '>', ':', '"', '|', '?', '*']), Is.EqualTo(-1), result);
            Assert.That(result.Any(char.IsControl), Is.False, result);
            Assert.That(result, Does.Not.StartWith(".").And.Not.EndWith(".").And.Not.EndWith(" "));
            Assert.That(result.Where((c, i) => char.IsSurrogate(c) && !char.IsSurrogatePair(result, i - (char.IsLowSurrogate(c) ? 1 : 0))), Is.Empty);
            Assert.That(DeliveryName.For(id, name), Is.EqualTo(result), "a retry gets the same name");
            Assert.That(DeliveryName.Safe(result), Is.EqualTo(result), "the channels' second pass changes nothing");
        }, iter: 20_000);
    }

    [Test]
    public void A_long_name_keeps_its_start_and_extension_and_two_long_names_differing_only_in_the_cut_part_differ()
    {
        var a = DeliveryName.Safe(new string('x', 300) + "a.edi");
        var b = DeliveryName.Safe(new string('x', 300) + "b.edi");
        Assert.That(a, Does.StartWith("xxxx").And.EndWith(".edi"));
        Assert.That(a, Is.Not.EqualTo(b));
    }
}
