using CrossBorderHub.Core.Configuration;

namespace CrossBorderHub.Host.Composition;

/// <summary>Hub:Documents:Retention* read strictly at start-up: one line per problem, naming the key and the fix.</summary>
internal static class DocumentRetentionCheck
{
    public static void Check(DocumentOptions documents, List<string> errors)
    {
        foreach (var (type, period) in documents.Retention)
        {
            var key = $"Hub:Documents:Retention:{type}";
            if (type.Trim().Length == 0 || type.Any(char.IsWhiteSpace))
            {
                errors.Add($"{key}: the type '{type}' is empty or has spaces: use a document type such as CUSDEC/929, a message type such as CUSDEC, or * for every other type.");
            }
            else if (period < TimeSpan.FromDays(1))
            {
                errors.Add($"{key} is {period}: use at least one day, such as 90.00:00:00 (a purge is not undone).");
            }
            else if (period < documents.DuplicateWindow)
            {
                errors.Add($"{key} is {period}, shorter than Hub:Documents:DuplicateWindow ({documents.DuplicateWindow}): a purged document could arrive again and be delivered twice; " +
                    "keep documents at least as long as the window, or shorten the window.");
            }
        }
        if (documents.RetentionInterval < TimeSpan.FromMinutes(1))
        {
            errors.Add($"Hub:Documents:RetentionInterval is {documents.RetentionInterval}: use at least 00:01:00, such as 01:00:00.");
        }
        if (documents.RetentionBatch < 1)
        {
            errors.Add($"Hub:Documents:RetentionBatch is {documents.RetentionBatch}: use 1 or more, such as 10000.");
        }
    }
}
