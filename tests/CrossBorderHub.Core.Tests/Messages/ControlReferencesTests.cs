namespace CrossBorderHub.Core.Tests.Messages;

/// <summary>
/// The references the hub writes stay what they were before the three copies became one helper: a message processed
/// again after an upgrade answers under the same CONTRL, APERAK and split-part references.
/// </summary>
public sealed class ControlReferencesTests
{
    [Test]
    public void A_contrl_reference_is_the_one_the_hub_wrote_for_that_message_before()
    {
        // Seen in a real run: message 01a2379c95e87f14af50894941a00f16 was answered by CONTRL_REF0001_C418111708816.edi.
        Assert.That(ControlReferences.For('C', "01a2379c95e87f14af50894941a00f16", 12, basis: 0), Is.EqualTo("C418111708816"));
    }

    [Test]
    public void Split_part_and_aperak_references_are_fnv1a_digits_behind_their_letter_and_fit_an14()
    {
        Assert.That(ControlReferences.For('S', "m1|TH|0", 13), Is.EqualTo("S7594525592469"));
        Assert.That(ControlReferences.For('A', "m1/TH", 12), Is.EqualTo("A756593794496"));
        Assert.That(ControlReferences.For('S', "another", 13), Has.Length.EqualTo(14).And.Not.EqualTo(ControlReferences.For('S', "m1|TH|0", 13)));
    }
}
