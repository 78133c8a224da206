using Followup.Host.Api.Elsa;
using Followup.Workflows.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Followup.Workflows.Registry;

namespace Followup.Host.Api;

/// <summary>The descriptor lists Elsa Studio loads: activities from the engine's registry (Followup's own included), expressions, strategies, types.</summary>
public static class DescriptorsApi
{
    private static readonly string[] VariableTypes = ["Object", "String", "Boolean", "Int32", "Int64", "Double", "Decimal", "DateTime", "DateTimeOffset", "TimeSpan", "Guid", "JsonObject"];

    public static RouteGroupBuilder MapDescriptors(this RouteGroupBuilder api)
    {
        api.MapGet("/descriptors/activities", (ActivityRegistry registry) => List(registry.ListAll().Select(Activity).ToArray()));
        api.MapGet("/descriptors/expression-descriptors", (Microsoft.Extensions.Options.IOptions<Followup.Workflows.Runtime.EngineOptions> engine) => List(
            [
                Expression("Literal", "Literal", browsable: false),
                Expression("Object", "Object", browsable: false, monaco: "json"),
                Expression("Variable", "Variable"),
                Expression("Input", "Input"),
                Expression("JavaScript", "JavaScript", monaco: "javascript"),
                Expression("Liquid", "Liquid", monaco: "liquid"),
                // C# is offered only where the host runs it (Engine:AllowCSharp).
                .. engine.Value.AllowCSharp ? new[] { Expression("CSharp", "C#", monaco: "csharp") } : [],
            ]));
        api.MapGet("/descriptors/workflow-activation-strategies", () => List(
            Strategy("Elsa.Workflows.Runtime.ActivationStrategies.AllowAlwaysStrategy", "Always", "Always allow a new instance.")));
        api.MapGet("/descriptors/log-persistence-strategies", () => List(
            Strategy("Elsa.Workflows.LogPersistence.Strategies.Inherit", "Inherit", "Inherit the persistence mode from the parent."),
            Strategy("Elsa.Workflows.LogPersistence.Strategies.Include", "Include", "Include the property in the log."),
            Strategy("Elsa.Workflows.LogPersistence.Strategies.Exclude", "Exclude", "Exclude the property from the log.")));
        api.MapGet("/descriptors/incident-strategies", () => List(
            Strategy("Elsa.Workflows.IncidentStrategies.FaultStrategy", "Fault", "Fault the workflow."),
            Strategy("Elsa.Workflows.IncidentStrategies.ContinueWithIncidentsStrategy", "Continue with incidents", "Record the incident and continue.")));
        api.MapGet("/descriptors/commit-strategies/workflows", () => List(
            new StrategyDescriptor(null, "WorkflowExecuted", "Workflow executed", "Commit when a burst of the workflow has run (always, in Followup).")));
        api.MapGet("/descriptors/commit-strategies/activities", () => List<StrategyDescriptor>());
        api.MapGet("/descriptors/variables", () => List(VariableTypes.Select(t => new VariableTypeDescriptor(t, t, "Primitives", null)).ToArray()));
        api.MapGet("/descriptors/storage-drivers", () => List(
            new StorageDriverDescriptor("Elsa.Workflows.Services.WorkflowInstanceStorageDriver, Elsa.Workflows.Core", "Workflow Instance", 0, false)));
        api.MapGet("/descriptors/output-converters", () => List<StrategyDescriptor>());
        return api;
    }

    private static Ok<ElsaList<T>> List<T>(params T[] items) => TypedResults.Ok(new ElsaList<T>(items));

    private static StrategyDescriptor Strategy(string typeName, string displayName, string description) => new(typeName, null, displayName, description);

    private static ExpressionDescriptor Expression(string type, string displayName, bool browsable = true, string? monaco = null) =>
        new(type, displayName, true, browsable, monaco is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["MonacoLanguage"] = monaco });

    private static ActivityDescriptor Activity(ActivityType t) => new(
        t.TypeName,
        t.Namespace,
        t.Name,
        t.Version,
        t.Category,
        t.DisplayName,
        t.Description,
        (t.IsTrigger ? ActivityKind.Trigger : t.Kind).ToString(),
        t.IsBrowsable && t.TypeName != "Elsa.Flowchart" && t.TypeName != "Elsa.WorkflowRoot",
        t.IsContainer,
        t.IsStart,
        t.IsTerminal,
        RunAsynchronously: false,
        new Dictionary<string, object>(),
        new Dictionary<string, object>(),
        t.Ports.Select(p => new PortDescriptorView(p.Name, p.DisplayName, p.Type.ToString(), p.IsBrowsable)).ToList(),
        t.Inputs.Select((i, index) => new InputDescriptorView(i.Name, i.TypeName, i.DisplayName ?? i.Name, i.Description, i.Order == 0 ? index : i.Order,
            i.IsBrowsable, i.IsWrapped, i.UIHint, i.Category, i.DefaultValue, i.DefaultSyntax ?? "Literal", IsReadOnly: false, IsSensitive: false, i.IsSynthetic,
            StorageDriverType: null,
            i.Options is { Count: > 0 } options
                ? new Dictionary<string, DropdownSpecification> { ["dropdown"] = new(new SelectList(options.Select(o => new SelectListItem(o, o)).ToList(), false)) }
                : null)).ToList(),
        t.Outputs.Select((o, index) => new OutputDescriptorView(o.Name, o.TypeName, o.DisplayName ?? o.Name, o.Description, index, o.IsBrowsable, o.IsSynthetic)).ToList());
}
