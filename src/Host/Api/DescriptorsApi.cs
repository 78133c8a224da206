using Followup.Workflows.Abstractions;
using Followup.Workflows.Registry;

namespace Followup.Host.Api;

/// <summary>The descriptor lists Elsa Studio loads: activities from the engine's registry (Followup's own included), expressions, strategies, types.</summary>
public static class DescriptorsApi
{
    private static readonly string[] VariableTypes = ["Object", "String", "Boolean", "Int32", "Int64", "Double", "Decimal", "DateTime", "DateTimeOffset", "TimeSpan", "Guid", "JsonObject"];

    public static RouteGroupBuilder MapDescriptors(this RouteGroupBuilder api)
    {
        api.MapGet("/descriptors/activities", (ActivityRegistry registry) =>
        {
            var items = registry.ListAll().Select(Activity).ToList();
            return Results.Json(new { items, count = items.Count }, ApiJson.Options);
        });
        api.MapGet("/descriptors/expression-descriptors", () => List(
            Expression("Literal", "Literal", browsable: false),
            Expression("Object", "Object", browsable: false, monaco: "json"),
            Expression("Variable", "Variable"),
            Expression("Input", "Input"),
            Expression("JavaScript", "JavaScript", monaco: "javascript"),
            Expression("Liquid", "Liquid", monaco: "liquid")));
        api.MapGet("/descriptors/workflow-activation-strategies", () => List(
            new { typeName = "Elsa.Workflows.Runtime.ActivationStrategies.AllowAlwaysStrategy", displayName = "Always", description = "Always allow a new instance." }));
        api.MapGet("/descriptors/log-persistence-strategies", () => List(
            new { typeName = "Elsa.Workflows.LogPersistence.Strategies.Inherit", displayName = "Inherit", description = "Inherit the persistence mode from the parent." },
            new { typeName = "Elsa.Workflows.LogPersistence.Strategies.Include", displayName = "Include", description = "Include the property in the log." },
            new { typeName = "Elsa.Workflows.LogPersistence.Strategies.Exclude", displayName = "Exclude", description = "Exclude the property from the log." }));
        api.MapGet("/descriptors/incident-strategies", () => List(
            new { typeName = "Elsa.Workflows.IncidentStrategies.FaultStrategy", displayName = "Fault", description = "Fault the workflow." },
            new { typeName = "Elsa.Workflows.IncidentStrategies.ContinueWithIncidentsStrategy", displayName = "Continue with incidents", description = "Record the incident and continue." }));
        api.MapGet("/descriptors/commit-strategies/workflows", () => List(
            new { name = "WorkflowExecuted", displayName = "Workflow executed", description = "Commit when a burst of the workflow has run (always, in Followup)." }));
        api.MapGet("/descriptors/commit-strategies/activities", () => List<object>());
        api.MapGet("/descriptors/variables", () => List(VariableTypes.Select(t => (object)new { typeName = t, displayName = t, category = "Primitives", description = (string?)null }).ToArray()));
        api.MapGet("/descriptors/storage-drivers", () => List(
            new { typeName = "Elsa.Workflows.Services.WorkflowInstanceStorageDriver, Elsa.Workflows.Core", displayName = "Workflow Instance", priority = 0, deprecated = false }));
        api.MapGet("/descriptors/output-converters", () => List<object>());
        return api;
    }

    private static IResult List<T>(params T[] items) => Results.Json(new { items, count = items.Length }, ApiJson.Options);

    private static object Expression(string type, string displayName, bool browsable = true, string? monaco = null) => new
    {
        type,
        displayName,
        isSerializable = true,
        isBrowsable = browsable,
        properties = monaco is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["MonacoLanguage"] = monaco },
    };

    private static object Activity(ActivityType t) => new
    {
        typeName = t.TypeName,
        @namespace = t.Namespace,
        name = t.Name,
        version = t.Version,
        category = t.Category,
        displayName = t.DisplayName,
        description = t.Description,
        kind = (t.IsTrigger ? ActivityKind.Trigger : t.Kind).ToString(),
        isBrowsable = t.IsBrowsable && t.TypeName != "Elsa.Flowchart" && t.TypeName != "Elsa.WorkflowRoot",
        isContainer = t.IsContainer,
        isStart = t.IsStart,
        isTerminal = t.IsTerminal,
        runAsynchronously = false,
        customProperties = new Dictionary<string, object>(),
        constructionProperties = new Dictionary<string, object>(),
        ports = t.Ports.Select(p => new { name = p.Name, displayName = p.DisplayName, type = p.Type.ToString(), isBrowsable = p.IsBrowsable }),
        inputs = t.Inputs.Select((i, index) => new
        {
            name = i.Name,
            typeName = i.TypeName,
            displayName = i.DisplayName ?? i.Name,
            description = i.Description,
            order = i.Order == 0 ? index : i.Order,
            isBrowsable = i.IsBrowsable,
            isWrapped = i.IsWrapped,
            uiHint = i.UIHint,
            category = i.Category,
            defaultValue = i.DefaultValue,
            defaultSyntax = i.DefaultSyntax ?? "Literal",
            isReadOnly = false,
            isSensitive = false,
            isSynthetic = i.IsSynthetic,
            storageDriverType = (string?)null,
            uiSpecifications = i.Options is { Count: > 0 } options
                ? new Dictionary<string, object> { ["dropdown"] = new { selectList = new { items = options.Select(o => new { text = o, value = o }), isFlagsEnum = false } } }
                : null,
        }),
        outputs = t.Outputs.Select((o, index) => new
        {
            name = o.Name,
            typeName = o.TypeName,
            displayName = o.DisplayName ?? o.Name,
            description = o.Description,
            order = index,
            isBrowsable = o.IsBrowsable,
            isSynthetic = o.IsSynthetic,
        }),
    };
}
