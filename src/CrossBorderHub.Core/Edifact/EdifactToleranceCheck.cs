using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Edifact;

/// <summary>
/// Start-up check: every partner's Tolerance section names a known profile and a sane margin, and every code list
/// file under schemas/codelists can be read (a broken one would otherwise turn into info findings unnoticed).
/// </summary>
public sealed class EdifactToleranceCheck : IStartupCheck
{
    public void Check(HubOptions options, ICollection<string> errors)
    {
        foreach (var (name, partner) in options.Partners)
        {
            partner.Tolerance.Validate($"Hub:Partners:{name}:Tolerance", errors);
        }
        var folder = SchemasLocator.CodeListsRoot(SchemasLocator.EdifactRoot(options.Processing.SchemasPath));
        foreach (var error in CodeListFiles.Load(folder).Errors)
        {
            errors.Add($"Hub:Processing:SchemasPath: code list {Path.Combine(folder, error)}");
        }
    }
}
