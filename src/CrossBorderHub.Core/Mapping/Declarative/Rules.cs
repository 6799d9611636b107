using System.Xml.XPath;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>A code translation table: source code -> target code, with a default for codes it does not list.</summary>
internal sealed record CodeTable(string Name, IReadOnlyDictionary<string, string> Map, string? Default);

/// <summary>
/// Where one value comes from and how it is turned into the target's value: the source (an EDIFACT path or an
/// XPath), else the default; then the code table, then the conversion. A constant replaces all of that.
/// </summary>
internal sealed class ValueRule
{
    public required string Source { get; init; }

    public EdifactPath? Edifact { get; init; }

    public XPathExpression? XPath { get; init; }

    public string? Const { get; init; }

    public string? Default { get; init; }

    public CodeTable? Table { get; init; }

    public string? Convert { get; init; }

    /// <summary>The unit beside a measure (for unit: conversions): an EDIFACT path or an XPath.</summary>
    public EdifactPath? UnitEdifact { get; init; }

    public XPathExpression? UnitXPath { get; init; }

    public bool Required { get; init; }

    public bool IsConstant => Const is not null;
}

/// <summary>A rule's condition: an EDIFACT value present (or equal to one of some codes), or an XPath that is true.</summary>
internal sealed class Condition
{
    public required string Text { get; init; }

    public EdifactPath? Edifact { get; init; }

    public string[]? EqualsAny { get; init; }

    public bool Negate { get; init; }

    public XPathExpression? XPath { get; init; }
}

/// <summary>EDIFACT -> XML: one element or attribute of the output, maybe repeated once per group instance.</summary>
internal sealed class XmlRule
{
    public required string Name { get; init; }

    public required string LocalName { get; init; }

    public required string Namespace { get; init; }

    public string Prefix { get; init; } = "";

    public bool IsAttribute { get; init; }

    public ValueRule? Value { get; init; }

    public EdifactPath? Foreach { get; init; }

    public Condition? When { get; init; }

    /// <summary>The element must appear at least once (a container or loop the target's schema requires).</summary>
    public bool Required { get; init; }

    public List<XmlRule> Children { get; } = [];

    /// <summary>Where the rule names its element or attribute, for errors found after reading (the target XSD check).</summary>
    public int Line { get; init; }

    public int Column { get; init; }
}

/// <summary>XML -> EDIFACT: one segment with its values, or a segment group repeated once per XPath node.</summary>
internal abstract class EdifactRule
{
    public XPathExpression? Foreach { get; init; }

    public Condition? When { get; init; }
}

internal sealed class SegmentRule : EdifactRule
{
    public required SegmentSpec Spec { get; init; }

    public List<(ElementSlot Slot, ValueRule Value)> Values { get; } = [];
}

internal sealed class GroupRule : EdifactRule
{
    public required string Name { get; init; }

    public List<EdifactRule> Children { get; } = [];
}

/// <summary>The interchange envelope an XML -> EDIFACT mapping writes (UNB/UNZ; UNH/UNT come from the message).</summary>
internal sealed class EnvelopeRule
{
    public string Syntax { get; init; } = "UNOC";

    public int SyntaxVersion { get; init; } = 3;

    public required ValueRule Sender { get; init; }

    public required ValueRule Recipient { get; init; }

    public string? SenderQualifier { get; init; }

    public string? RecipientQualifier { get; init; }

    public ValueRule? ControlReference { get; init; }

    public ValueRule? MessageReference { get; init; }

    public ValueRule? PreparedAt { get; init; }
}
