using CrossBorderHub.Edifact;
using CrossBorderHub.Edifact.Contrl;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>The library side of receipts and partial acceptance: the cut interchange and the CONTRL that answers it.</summary>
public sealed class PartialAcceptanceTests
{
    private static string Message(int number, string bgm = "830") =>
        $"UNH+{number}+CUSDEC:D:96B:UN'BGM+{bgm}+DOC{number}+9'DTM+137:20261123:102'NAD+DT+++Exporter+Street 1+Shenzhen++518000+CN'UNS+D'UNS+S'UNT+7+{number}'";

    private static string Grouped() =>
        "UNA:+.? 'UNB+UNOC:3+CNSW:ZZ+THSW:ZZ+261123:1200+REFGRP'" +
        $"UNG+CUSDEC+CNSW+THSW+261123:1200+G1+UN+D:96B'{Message(1, "999")}{Message(2, "999")}UNE+2+G1'" +
        $"UNG+CUSDEC+CNSW+THSW+261123:1200+G2+UN+D:96B'{Message(3)}{Message(4, "999")}UNE+2+G2'" +
        "UNZ+2+REFGRP'";

    private static ValidationResult Validate(string text) =>
        new EdifactValidator(Samples.Directories).Validate(new MemoryStream(Encoding.ASCII.GetBytes(text)));

    [Test]
    public void Keeping_the_valid_messages_of_a_grouped_interchange_drops_the_emptied_group_and_rewrites_the_counts()
    {
        var result = Validate(Grouped());
        var bad = result.Findings.Where(f => f.IsError).Select(f => f.MessageIndex).ToHashSet();
        Assert.That(bad, Is.EquivalentTo(new[] { 0, 1, 3 }), string.Join("\n", result.Findings));

        var kept = Encoding.ASCII.GetString(EdifactSplitter.Keep(EdifactParser.Parse(Encoding.ASCII.GetBytes(Grouped())), i => !bad.Contains(i)));

        Assert.That(kept, Does.Not.Contain("+G1+").And.Contain("UNG+CUSDEC+CNSW+THSW+261123:1200+G2+UN+D:96B'UNH+3+"));
        Assert.That(kept, Does.Contain("UNE+1+G2'UNZ+1+REFGRP'").And.Not.Contain("UNH+4+"));
        Assert.That(Validate(kept).IsValid, Is.True, string.Join("\n", Validate(kept).Findings));
    }

    [Test]
    public void A_partial_acceptance_contrl_acknowledges_the_interchange_and_the_clean_group_and_rejects_only_the_bad_messages()
    {
        var contrl = Encoding.ASCII.GetString(ContrlBuilder.Build(Validate(Grouped()), "C1", DateTimeOffset.UnixEpoch, partialAcceptance: true));

        Assert.That(contrl, Does.Contain("UCI+REFGRP+CNSW:ZZ+THSW:ZZ+7'"));
        Assert.That(contrl, Does.Contain("UCF+G1+CNSW+THSW+7'").And.Contain("UCF+G2+CNSW+THSW+7'"));
        Assert.That(contrl, Does.Contain("UCM+3+CUSDEC:D:96B:UN+7'").And.Contain("UCM+4+CUSDEC:D:96B:UN+4'").And.Contain("UCM+1+CUSDEC:D:96B:UN+4'"));
        var whole = Encoding.ASCII.GetString(ContrlBuilder.Build(Validate(Grouped()), "C1", DateTimeOffset.UnixEpoch));
        Assert.That(whole, Does.Contain("UCI+REFGRP+CNSW:ZZ+THSW:ZZ+4'").And.Contain("UCF+G2+CNSW+THSW+4'"), "without partial acceptance one bad message rejects all");
    }

    [Test]
    public void Indication_of_receipt_0031_2_is_valid_under_syntax_4_only_and_a_receipt_carries_action_8_alone()
    {
        var v4 = Validate($"UNA:+.? 'UNB+UNOC:4+CNSW:ZZ+THSW:ZZ+20261123:1200+R4++++2'{Message(1)}UNZ+1+R4'");
        Assert.That(v4.IsValid, Is.True, string.Join("\n", v4.Findings));
        Assert.That(v4.ReceiptRequested, Is.True);
        var v3 = Validate($"UNA:+.? 'UNB+UNOC:3+CNSW:ZZ+THSW:ZZ+261123:1200+R3++++2'{Message(1)}UNZ+1+R3'");
        Assert.That(v3.Findings.Where(f => f.IsError).Select(f => f.Message), Has.Some.Contains("0031"));

        var receipt = Encoding.ASCII.GetString(ContrlBuilder.BuildReceipt(v4, "C2", DateTimeOffset.UnixEpoch));
        Assert.That(receipt, Does.Contain("UCI+R4+CNSW:ZZ+THSW:ZZ+8'").And.Not.Contain("UCM"));
        Assert.That(new EdifactValidator(Samples.Directories).Validate(new MemoryStream(Encoding.ASCII.GetBytes(receipt))).IsValid, Is.True, receipt);
    }
}
