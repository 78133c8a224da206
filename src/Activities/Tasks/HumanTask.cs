using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Tasks;

/// <summary>
/// A step done by a person: creates a task in the inbox for a role or a person, waits, and continues with the action
/// chosen as its outcome and the submitted values as its output. When the task is overdue it is escalated to another role.
/// </summary>
[Activity("Followup", "People", "A task for an advisor, technician or callback agent, worked from the inbox.", DisplayName = "Human task")]
public sealed class HumanTask : WaitingActivity
{
    private readonly LiquidEvaluator _liquid;
    private readonly TaskInbox _inbox;
    private readonly IEnumerable<ITaskOptions> _options;

    public HumanTask(LiquidEvaluator liquid, TaskInbox inbox, IEnumerable<ITaskOptions> options)
    {
        (_liquid, _inbox, _options) = (liquid, inbox, options);
        When(BookmarkName, OnCompletedAsync);
        When(OverdueBookmarkName, inbox.EscalateAsync);
    }

    public const string BookmarkName = "Followup.HumanTask";
    public const string OverdueBookmarkName = "Followup.HumanTask.Overdue";

    [Input(DisplayName = "Title (中文)", Description = "Text or Liquid template, rendered once.")]
    public Input<string> TitleZhCn { get; set; } = new(null);

    [Input(DisplayName = "Title (English)", Description = "Text or Liquid template, rendered once.")]
    public Input<string> TitleEn { get; set; } = new(null);

    [Input(DisplayName = "Instructions (中文)", Description = "Text or Liquid template, rendered once.", UIHint = "multiline")]
    public Input<string> InstructionsZhCn { get; set; } = new(null);

    [Input(DisplayName = "Instructions (English)", Description = "Text or Liquid template, rendered once.", UIHint = "multiline")]
    public Input<string> InstructionsEn { get; set; } = new(null);

    [Input(Description = "The language the task is written in for staff (zh-CN or en).", DefaultValue = "zh-CN")]
    public Input<string> Language { get; set; } = new(null);

    [Input(Description = "The form: { \"fields\": [{ \"name\", \"label\": { \"zh-CN\", \"en\" }, \"type\", \"required\", \"options\" }] }. Types: text, multiline, number, money, datetime, choice, multichoice, checkbox, acknowledgement.", UIHint = "json-editor")]
    public Input<string> Form { get; set; } = new(null);

    [Input(Description = "The actions that complete the task; each is an outcome.", UIHint = "dynamic-outcomes", DefaultValue = "[\"Done\"]")]
    public Input<List<string>> Actions { get; set; } = new(null);

    [Input(Description = "The role whose members see the task: Advisor, Technician, TechnicalLead, CallbackAgent or Manager.", Options = ["Advisor", "Technician", "TechnicalLead", "CallbackAgent", "Manager"], UIHint = "dropdown", DefaultValue = "Advisor")]
    public Input<string> AssigneeRole { get; set; } = new(null);

    [Input(Description = "A person (user name) the task is for, instead of a whole role.")]
    public Input<string> Assignee { get; set; } = new(null);

    [Input(DisplayName = "Not by", Description = "A person (user name) who may not do the task, e.g. the technician who did the work does not check it.")]
    public Input<string> NotBy { get; set; } = new(null);

    [Input(Description = "Time allowed (SLA), e.g. 00:15:00; empty for none.")]
    public Input<TimeSpan?> DueIn { get; set; } = new(null);

    [Input(Description = "The role an overdue task is escalated to.", Options = ["Manager", "Advisor", "Technician", "TechnicalLead", "CallbackAgent"], UIHint = "dropdown", DefaultValue = "Manager")]
    public Input<string> EscalateToRole { get; set; } = new(null);

    [Output(Description = "The submitted values, by field name.")]
    public Output<object>? Values { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var language = context.Get(Language) == "en" ? "en" : "zh-CN";
        var (titleZh, titleEn) = (_liquid.RenderTemplate(TitleZhCn, context), _liquid.RenderTemplate(TitleEn, context));
        var (instructionsZh, instructionsEn) = (_liquid.RenderTemplate(InstructionsZhCn, context), _liquid.RenderTemplate(InstructionsEn, context));
        var (_, title) = Messaging.Outbox.Choose(language, titleZh, titleEn);
        var (_, instructions) = Messaging.Outbox.Choose(language, instructionsZh, instructionsEn);
        // The other language's text, when the step has one: staff read the task in their own language.
        string? Other(string mine, string? zh, string? en) => (language == "en" ? zh : en) is { Length: > 0 } other && other != mine ? other : null;
        _inbox.Open(context, new TaskSpec(
            string.IsNullOrEmpty(title) ? context.Node.Name ?? context.Node.Id : title,
            string.IsNullOrEmpty(instructions) ? null : instructions,
            language,
            await WithOptionsAsync(TaskForm.Parse(context.Get(Form), context.Get(Actions)), context.CancellationToken),
            context.Get(AssigneeRole),
            context.Get(Assignee),
            context.Get(DueIn),
            context.Get(EscalateToRole),
            context.Get(NotBy))
        {
            TitleOther = Other(title, titleZh, titleEn),
            InstructionsOther = Other(instructions, instructionsZh, instructionsEn),
        });
    }

    /// <summary>The form with the options its fields take from elsewhere (the catalog) read now; the written list stays for a source nobody knows.</summary>
    private async Task<TaskForm> WithOptionsAsync(TaskForm form, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, IReadOnlyList<(string Value, OptionLabel Label)>>();
        foreach (var source in form.Fields.Select(f => f.OptionsFrom).OfType<string>().Distinct())
        {
            foreach (var provider in _options)
            {
                if (await provider.ListAsync(source, cancellationToken) is { } options)
                {
                    found[source] = options;
                    break;
                }
            }
        }
        return found.Count == 0 ? form : form.WithOptions(found.GetValueOrDefault);
    }

    private async ValueTask OnCompletedAsync(ActivityExecutionContext context)
    {
        if (await _inbox.CompletedAsync(context) is not { } task)
            return;
        context.Set(Values, context.ResumeInput.GetValueOrDefault("Values"));
        context.ClearBookmarks();
        await context.CompleteAsync(task.Outcome ?? "Done");
    }
}
