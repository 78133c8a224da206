using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Followup.Workflows.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Followup.Workflows.Management;

public enum ImportMode
{
    /// <summary>Elsa's import and save: an existing definition gets a new draft version (or its draft is updated); a new one starts at version 1.</summary>
    NewVersion,

    /// <summary>Each file becomes published version 1, keeping its definition id and version id (Elsa's test import).</summary>
    PublishedVersionOne,

    /// <summary>Folder provider: the file's version and published flag are stored as they are.</summary>
    AsIs,
}

public sealed record PublishResult(bool Succeeded, IReadOnlyList<string> Errors, WorkflowDefinition? Definition);

/// <summary>Definition versions: import, save draft, publish, retract, revert, delete, with validation before anything is stored.</summary>
public sealed class WorkflowDefinitionService(
    DefinitionStore store,
    WorkflowDefinitionCache cache,
    WorkflowDefinitionReader reader,
    WorkflowDefinitionWriter writer,
    DefinitionValidator validator,
    IServiceProvider services,
    TimeProvider clock,
    IDefinitionChanges changeFeed,
    IOptions<EngineOptions> options)
{
    /// <summary>How often a start compares a shared definition with the stored one, should a change notice have been lost.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _checked = new(StringComparer.Ordinal);

    /// <summary>When each version was last changed, as stored (read back, so at the database's precision).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> _stamps = new(StringComparer.Ordinal);

    /// <summary>Loads every stored version into the cache (at start, and when a version is missing).</summary>
    public Task LoadAsync(CancellationToken cancellationToken) => ReloadAsync(null, cancellationToken);

    /// <summary>
    /// Makes the cache hold what is stored for one definition (null: for all): versions another host added, published,
    /// retracted or deleted.
    /// </summary>
    public async Task ReloadAsync(string? definitionId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var stored = definitionId is null ? await store.ListDefinitionsAsync(cancellationToken) : await store.ListDefinitionsAsync(definitionId, cancellationToken);
            var ids = stored.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in (definitionId is null ? cache.All() : cache.Versions(definitionId)).Where(d => !ids.Contains(d.Id)))
                cache.Remove(gone.Id);
            foreach (var record in stored)
            {
                if (!Cached(record.Id, record.IsLatest, record.IsPublished, record.UpdatedAt))
                    cache.Set(reader.Read(record.Json));
                _stamps[record.Id] = record.UpdatedAt;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Whether the cache holds this stored version as it is: the same flags, and the same last change when it was read
    /// back before (a version this host wrote itself and has not read back is what it wrote).
    /// </summary>
    private bool Cached(string versionId, bool isLatest, bool isPublished, DateTime updatedAt) =>
        cache.FindVersion(versionId) is { } cached && cached.IsLatest == isLatest && cached.IsPublished == isPublished
        && (!_stamps.TryGetValue(versionId, out var stamp) || stamp == updatedAt);

    /// <summary>
    /// Before a start by definition id on hosts that share definitions: at most once a second per definition, compares
    /// the stored versions with the cache and reloads the definition when they differ (a change notice that was lost).
    /// </summary>
    public async Task EnsureCurrentAsync(string definitionId, CancellationToken cancellationToken)
    {
        if (!changeFeed.Shared)
            return;
        var now = clock.GetUtcNow();
        if (_checked.TryGetValue(definitionId, out var last) && now - last < CheckEvery)
            return;
        _checked[definitionId] = now;
        var stored = await store.ListVersionStampsAsync(definitionId, cancellationToken);
        if (stored.Count != cache.Versions(definitionId).Count || !stored.All(s => Cached(s.Id, s.IsLatest, s.IsPublished, s.UpdatedAt)))
            await ReloadAsync(definitionId, cancellationToken);
    }

    public async Task<WorkflowDefinition> ImportAsync(string json, ImportMode mode, bool publish, CancellationToken cancellationToken) =>
        (await ImportManyAsync([("request", json)], mode, publish, cancellationToken))[0];

    /// <summary>Imports several definitions that may use each other as activities. Any error: nothing is stored.</summary>
    public async Task<IReadOnlyList<WorkflowDefinition>> ImportManyAsync(IReadOnlyList<(string Source, string Json)> files, ImportMode mode, bool publish, CancellationToken cancellationToken, bool validateTriggers = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var parsed = new List<(string Source, WorkflowDefinition Definition)>();
            foreach (var (source, text) in files)
            {
                try
                {
                    // The file as written is checked before anything reads it into the engine's model.
                    var json = WorkflowDefinitionReader.ParseJson(text);
                    // A definition that does not say when it was made was made now (a version's history shows it).
                    if (json["createdAt"] is null || json["createdAt"]!.ToString().StartsWith("0001-", StringComparison.Ordinal))
                        json["createdAt"] = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                    if (DefinitionValidator.StructureErrors(json["root"] as JsonObject) is { Count: > 0 } structure)
                        throw new WorkflowValidationException(structure.Select(e => $"{source}: {e}").ToList());
                    parsed.Add((source, reader.Read(json)));
                }
                catch (WorkflowDefinitionException ex)
                {
                    throw new WorkflowValidationException([$"{source}: {ex.Message}"]);
                }
            }

            var before = cache.All().ToDictionary(d => d.Id);
            var changes = new Dictionary<string, WorkflowDefinition>();
            foreach (var (_, definition) in parsed)
            {
                foreach (var changed in Place(definition, mode, publish, changes))
                {
                    changes[changed.Id] = changed;
                    cache.Set(changed);
                }
            }
            // A definition published with the import has its triggers checked as a publish does (a bad cron expression).
            validateTriggers |= publish && options.Value.FailOnValidationErrors;
            var errors = parsed.SelectMany(p => validator.Validate(Current(p.Definition, changes))
                .Concat(validateTriggers ? validator.TriggerErrors(Current(p.Definition, changes)) : [])
                .Select(e => $"{p.Source}: {e}")).ToList();
            if (errors.Count > 0)
            {
                foreach (var id in changes.Keys)
                {
                    if (before.TryGetValue(id, out var old))
                        cache.Set(old);
                    else
                        cache.Remove(id);
                }
                throw new WorkflowValidationException(errors);
            }
            await PersistAsync(changes.Values.ToList(), [], cancellationToken);
            foreach (var published in changes.Values.Where(d => d.IsPublished).Select(d => d.DefinitionId).Distinct().ToList())
                await IndexTriggersAsync(cache.Published(published)!, cancellationToken);
            return parsed.Select(p => Current(p.Definition, changes)).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static WorkflowDefinition Current(WorkflowDefinition parsed, Dictionary<string, WorkflowDefinition> changes) =>
        changes.Values.FirstOrDefault(c => c.DefinitionId == parsed.DefinitionId && c.IsLatest) ?? parsed;

    /// <summary>Decides the version and flags of an incoming definition; returns every version whose flags changed.</summary>
    private List<WorkflowDefinition> Place(WorkflowDefinition incoming, ImportMode mode, bool publish, Dictionary<string, WorkflowDefinition> pending)
    {
        var existing = cache.Versions(incoming.DefinitionId).Select(d => pending.GetValueOrDefault(d.Id) ?? d).ToList();
        var latest = existing.Where(d => d.IsLatest).MaxBy(d => d.Version) ?? existing.MaxBy(d => d.Version);
        DefinitionFlags flags;
        switch (mode)
        {
            case ImportMode.PublishedVersionOne:
                flags = new DefinitionFlags(incoming.Id, incoming.DefinitionId, 1, true, true);
                existing = existing.Where(d => d.Id != incoming.Id && d.Version != 1).ToList();
                break;
            case ImportMode.AsIs:
                var isLatest = existing.All(d => d.Version <= incoming.Version || d.Id == incoming.Id);
                flags = new DefinitionFlags(incoming.Id, incoming.DefinitionId, incoming.Version, isLatest, incoming.IsPublished || publish);
                existing = existing.Where(d => d.Id != incoming.Id && d.Version != incoming.Version).ToList();
                break;
            default:
                if (latest is null)
                    flags = new DefinitionFlags(incoming.Id, incoming.DefinitionId, 1, true, publish);
                else if (latest.IsPublished)
                {
                    var id = existing.Any(d => d.Id == incoming.Id) ? services.GetRequiredService<IIdentityGenerator>().NewId() : incoming.Id;
                    flags = new DefinitionFlags(id, incoming.DefinitionId, existing.Max(d => d.Version) + 1, true, publish);
                }
                else
                {
                    flags = new DefinitionFlags(latest.Id, incoming.DefinitionId, latest.Version, true, publish);
                    existing = existing.Where(d => d.Id != latest.Id).ToList();
                }
                break;
        }

        var result = new List<WorkflowDefinition> { Rewrite(incoming, flags) };
        foreach (var other in existing)
        {
            var keepLatest = other.IsLatest && !flags.IsLatest;
            var keepPublished = other.IsPublished && !flags.IsPublished;
            if (keepLatest != other.IsLatest || keepPublished != other.IsPublished)
                result.Add(Rewrite(other, new DefinitionFlags(other.Id, other.DefinitionId, other.Version, keepLatest, keepPublished)));
        }
        return result;
    }

    private WorkflowDefinition Rewrite(WorkflowDefinition definition, DefinitionFlags flags) => reader.Read(writer.Write(definition, flags));


    /// <summary>Publishes the latest version: validates it (a bad cron expression fails it unless lenient), makes it the version new instances start.</summary>
    public async Task<PublishResult> PublishAsync(string definitionId, CancellationToken cancellationToken)
    {
        var latest = cache.Latest(definitionId);
        if (latest is null)
            return new PublishResult(false, [$"workflow '{definitionId}' does not exist"], null);
        var errors = validator.Validate(latest).Concat(validator.TriggerErrors(latest)).ToList();
        if (errors.Count > 0 && options.Value.FailOnValidationErrors)
            return new PublishResult(false, errors, latest);

        await _gate.WaitAsync(cancellationToken);
        WorkflowDefinition published;
        try
        {
            var changes = Place(latest, ImportMode.AsIs, publish: true, []);
            foreach (var c in changes)
                cache.Set(c);
            await PersistAsync(changes, [], cancellationToken);
            published = changes[0];
            if (published.Options.UsableAsActivity && published.Options.AutoUpdateConsumingWorkflows)
                await UpdateConsumersAsync(published, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
        await IndexTriggersAsync(published, cancellationToken);
        return new PublishResult(true, errors, published);
    }

    public async Task<bool> RetractAsync(string definitionId, CancellationToken cancellationToken)
    {
        var published = cache.Published(definitionId);
        if (published is null)
            return false;
        var retracted = Rewrite(published, new DefinitionFlags(published.Id, definitionId, published.Version, published.IsLatest, false));
        cache.Set(retracted);
        await PersistAsync([retracted], [], cancellationToken);
        await ReplaceTriggersAsync(definitionId, [], cancellationToken);
        return true;
    }

    /// <summary>Copies an old version as the new draft.</summary>
    public async Task<WorkflowDefinition?> RevertAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        var old = cache.Versions(definitionId).FirstOrDefault(d => d.Version == version);
        if (old is null)
            return null;
        return await ImportAsync(old.Json.ToJsonString(), ImportMode.NewVersion, publish: false, cancellationToken);
    }

    public async Task<bool> DeleteVersionAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        var target = cache.Versions(definitionId).FirstOrDefault(d => d.Version == version);
        if (target is null)
            return false;
        cache.Remove(target.Id);
        var remaining = cache.Versions(definitionId);
        var changes = new List<WorkflowDefinition>();
        if (target.IsLatest && remaining.Count > 0)
        {
            var newLatest = remaining.MaxBy(d => d.Version)!;
            changes.Add(Rewrite(newLatest, new DefinitionFlags(newLatest.Id, definitionId, newLatest.Version, true, newLatest.IsPublished)));
        }
        foreach (var c in changes)
            cache.Set(c);
        await PersistAsync(changes, [target], cancellationToken);
        if (target.IsPublished)
            await ReplaceTriggersAsync(definitionId, [], cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(string definitionId, CancellationToken cancellationToken)
    {
        var versions = cache.Versions(definitionId);
        if (versions.Count == 0)
            return false;
        foreach (var v in versions)
            cache.Remove(v.Id);
        await PersistAsync([], versions, cancellationToken);
        await ReplaceTriggersAsync(definitionId, [], cancellationToken);
        return true;
    }

    private async Task UpdateConsumersAsync(WorkflowDefinition child, CancellationToken cancellationToken)
    {
        foreach (var consumer in cache.All().Where(d => d.IsLatest && d.DefinitionId != child.DefinitionId).ToList())
        {
            var json = consumer.Json.DeepClone().AsObject();
            var nodes = reader.ReadActivityTree(json["root"]!.AsObject(), "Workflow1").Descendants()
                .Where(n => n.ActivityType is null && (n.Type == child.ActivityTypeName || n.WorkflowDefinitionId == child.DefinitionId))
                .ToList();
            if (nodes.Count == 0)
                continue;
            foreach (var n in nodes)
            {
                n.Json["version"] = child.Version;
                n.Json["workflowDefinitionVersionId"] = child.Id;
                n.Json["latestAvailablePublishedVersion"] = child.Version;
                n.Json["latestAvailablePublishedVersionId"] = child.Id;
            }
            var updated = reader.Read(json);
            var changes = Place(updated, ImportMode.NewVersion, publish: false, []);
            foreach (var c in changes)
                cache.Set(c);
            await PersistAsync(changes, [], cancellationToken);
        }
    }


    private async Task IndexTriggersAsync(WorkflowDefinition published, CancellationToken cancellationToken)
    {
        var triggers = new List<TriggerRecord>();
        foreach (var node in DefinitionValidator.TriggerNodes(published))
        {
            List<TriggerPayload> payloads;
            try
            {
                payloads = validator.TriggerPayloads(node).ToList();
            }
            catch (TriggerValidationException)
            {
                continue;
            }
            triggers.AddRange(payloads.Select(p => new TriggerRecord
            {
                Id = $"{published.Id}:{node.Id}:{triggers.Count}",
                DefinitionId = published.DefinitionId,
                DefinitionVersionId = published.Id,
                Name = p.Name,
                ActivityId = node.Id,
                Hash = StimulusHash.Compute(p.Name, p.Payload),
                Payload = StimulusHash.ToPayloadNode(p.Payload)?.ToJsonString(),
                StartAt = p.StartAt?.UtcDateTime,
                Interval = p.Interval,
                CronExpression = p.CronExpression,
            }));
        }
        await ReplaceTriggersAsync(published.DefinitionId, triggers, cancellationToken);
    }

    /// <summary>Replaces a definition's triggers and keeps the timed starts in step: old jobs deleted, new ones scheduled.</summary>
    private async Task ReplaceTriggersAsync(string definitionId, IReadOnlyList<TriggerRecord> triggers, CancellationToken cancellationToken)
    {
        var old = await store.ReplaceTriggersAsync(definitionId, triggers, cancellationToken);
        if (services.GetService<ITriggerScheduler>() is { } scheduler)
            await scheduler.SyncAsync(old, triggers, cancellationToken);
    }

    /// <summary>Stores the changes, then tells the other hosts which definitions changed.</summary>
    private async Task PersistAsync(IReadOnlyList<WorkflowDefinition> upserts, IReadOnlyList<WorkflowDefinition> deletes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var records = upserts.Select(d => new WorkflowDefinitionRecord
        {
            Id = d.Id,
            DefinitionId = d.DefinitionId,
            Version = d.Version,
            Name = d.Name,
            IsLatest = d.IsLatest,
            IsPublished = d.IsPublished,
            UsableAsActivity = d.Options.UsableAsActivity,
            Json = d.Json.ToJsonString(),
            CreatedAt = d.CreatedAt == default ? now : d.CreatedAt.UtcDateTime,
            UpdatedAt = now,
        }).ToList();
        await store.SaveDefinitionsAsync(records, [.. deletes.Select(d => d.Id)], cancellationToken);
        await changeFeed.AnnounceAsync([.. upserts.Concat(deletes).Select(d => d.DefinitionId).Distinct(StringComparer.Ordinal)], cancellationToken);
    }

    public JsonObject Export(WorkflowDefinition definition) => WorkflowDefinitionWriter.ForExport(definition.Json);
}
