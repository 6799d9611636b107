using System.Globalization;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Storage;
using Quartz;

namespace CrossBorderHub.Host.Workers;

/// <summary>
/// The retention purge (Hub:Documents:Retention), every RetentionInterval: deletes documents past their type's
/// period with their messages and payloads (<see cref="DapperDocumentRetention"/>), and writes what it removed to
/// the audit trail (user "retention"). No overlap: one purge at a time; with clustering, on one instance at a time.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class DocumentRetentionJob(DapperDocumentRetention retention, HubOptions options, IAuditLog audit, TimeProvider time, ILogger<DocumentRetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("purge-documents");

    public const string AuditAction = "documents-purged";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (options.Documents.Retention.Count == 0)
        {
            return;
        }
        try
        {
            var now = time.GetUtcNow();
            var purge = await retention.PurgeAsync(options.Documents.Retention, now, options.Documents.RetentionBatch, cancellationToken);
            if (purge.Messages == 0)
            {
                return;
            }
            var types = string.Join(", ", purge.DocumentsByType.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value}")));
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"{purge.Documents} document(s) past retention ({types}) in {purge.Messages} message(s) and {purge.Blobs} payload blob(s) deleted; numbers: {string.Join(", ", purge.Numbers)}{(purge.Documents > purge.Numbers.Count ? ", ..." : "")}");
            await audit.AddAsync(now, "retention", null, AuditAction, detail, cancellationToken);
            logger.LogInformation("Retention purge: {Detail}", detail);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            // The database or disk is unavailable right now: nothing half-deleted (one transaction per message); the next run goes on.
            logger.LogWarning("Retention purge failed: {Error}; trying again at the next run", ex.Message);
        }
    }
}
