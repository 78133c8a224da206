using Followup.Activities.Messaging;
using Followup.Activities.Tasks;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Activities.Tests;

/// <summary>Elsa's standard RunTask and SendEmail, as exported workflows use them.</summary>
public sealed class ElsaActivityTests
{
    private static string RunTask(string name) => Activity("step", "Elsa.RunTask", string.Join(",",
        Input("taskName", "String", name),
        Input("payload", "Object", "({ employee: 'Li Lei', description: 'Create an email account for the new employee' })", "JavaScript"),
        """ "result": { "typeName": "Object", "memoryReference": { "id": "r" } } """));

    private const string ResultVariable = """{ "id": "r", "name": "TaskResult", "typeName": "Object" }""";

    [Fact]
    public async Task RunTask_IsInTheInboxOfTheConfiguredRole_AndAPersonsResultIsItsOutput()
    {
        await using var h = await ActivityHarness.OpenAsync(new() { ["RunTasks:Roles:Create Email Account"] = "Advisor" });
        var run = await h.RunAsync(RunTask("Create Email Account"), variables: ResultVariable);

        var task = Assert.Single(await h.TasksAsync());
        Assert.Equal(("Create Email Account", "Create an email account for the new employee", "Advisor"), (task.Title, task.Instructions, task.AssigneeRole));
        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);

        Assert.Equal(TaskResult.Done, await h.CompleteTaskAsync("Done", new Dictionary<string, string?> { ["result"] = "li.lei@dealer.example" }));

        var instance = await h.InstanceAsync(run.InstanceId);
        Assert.Equal("Finished", instance.SubStatus);
        Assert.Contains("li.lei@dealer.example", instance.State.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunTask_CompletedByAnIntegration_ResumesOnce_AndAnUnknownTaskIsNotFound()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunAsync(RunTask("Add to HR System"), variables: ResultVariable);
        var task = Assert.Single(await h.TasksAsync());
        Assert.Equal("Manager", task.AssigneeRole);
        var tasks = h.Services.GetRequiredService<TaskService>();

        Assert.Equal(TaskResult.Done, await tasks.CompleteRunTaskAsync(task.Id, new Dictionary<string, object?> { ["hrId"] = 42L }, "hr-system", CancellationToken.None));
        Assert.Equal(TaskResult.AlreadyCompleted, await tasks.CompleteRunTaskAsync(task.Id, null, "hr-system", CancellationToken.None));
        Assert.Equal(TaskResult.NotFound, await tasks.CompleteRunTaskAsync("no-such-task", null, "hr-system", CancellationToken.None));

        Assert.Equal("Finished", (await h.InstanceAsync(run.InstanceId)).SubStatus);
        Assert.Equal((HumanTaskStatus.Completed, "hr-system"), (Assert.Single(await h.TasksAsync()).Status, Assert.Single(await h.TasksAsync()).CompletedBy));
    }

    [Fact]
    public async Task RunTask_ARoleNobodyHas_IsRefusedByTheSettingsCheck()
    {
        await using var h = await ActivityHarness.OpenAsync(new() { ["RunTasks:Roles:Create Email Account"] = "Janitor" });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => h.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RunTaskOptions>>().Value);
        Assert.Contains("RunTasks:Roles:Create Email Account", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ElsaSendEmail_SendsOneEmailPerRecipient_WithTheHtmlBodyAndItsText()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Activity("step", "Elsa.SendEmail", string.Join(",",
            Input("to", "String[]", "[\"li.wei@example.com\", \"wang@example.com\"]", "Object"),
            Input("cc", "String[]", "[\"li.wei@example.com\"]", "Object"),
            Input("subject", "String", "Welcome"),
            Input("body", "String", "<p>Hello <b>Li Lei</b>,</p><p>Welcome aboard.</p>"))));

        var messages = await h.MessagesAsync();
        Assert.Equal(["li.wei@example.com", "wang@example.com"], messages.Select(m => m.Recipient).Order(StringComparer.Ordinal));
        var email = MessagePayload.FromJson(messages[0].Payload);
        Assert.Equal(("Welcome", "<p>Hello <b>Li Lei</b>,</p><p>Welcome aboard.</p>", "en"), (email.Subject, email.Html, email.Language));
        Assert.Equal("Hello Li Lei,\n\nWelcome aboard.", email.Text);
    }

    [Fact]
    public async Task ElsaSendEmail_WithoutRecipients_SendsNothing_AndABadAddressFaults()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Activity("step", "Elsa.SendEmail", Input("subject", "String", "Nobody")));
        Assert.Empty(await h.MessagesAsync());

        var bad = await h.RunAsync(Activity("step", "Elsa.SendEmail", Input("to", "String", "not-an-address")));
        Assert.Equal(WorkflowSubStatus.Faulted, bad.SubStatus);
        Assert.Empty(await h.MessagesAsync());
    }
}
