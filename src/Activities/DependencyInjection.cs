using Followup.Activities.Messaging;
using Followup.Workflows;
using Followup.Workflows.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twilio.Clients;

namespace Followup.Activities;

public static class DependencyInjection
{
    public const string TwilioHttpClient = "twilio";

    /// <summary>The dealership's activities, data and messaging. SMS go through the chosen mainland provider, Twilio, or (without settings) stay in the local outbox, as email does without SMTP settings.</summary>
    public static IServiceCollection AddFollowupActivities(this IServiceCollection services, IConfiguration configuration, Workflows.Persistence.WorkflowDatabase database)
    {
        Data.DealershipDbContext.AddDealershipData(services, database);
        services.AddActivitiesFrom(typeof(DependencyInjection).Assembly);
        services.AddCheckedOptions<MessagingOptions>(MessagingOptions.SectionName);
        services.AddCheckedOptions<TwilioOptions>(TwilioOptions.SectionName);
        services.AddCheckedOptions<SmsOptions>(SmsOptions.SectionName);
        services.AddCheckedOptions<SmtpOptions>(SmtpOptions.SectionName);
        services.AddCheckedOptions<WebhookOptions>(WebhookOptions.SectionName);
        services.AddCheckedOptions<Tasks.RunTaskOptions>(Tasks.RunTaskOptions.SectionName);
        services.AddCheckedOptions<Service.StoreOptions>(Service.StoreOptions.SectionName);
        services.AddHttpClient(WebhookSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<IMessageSender, WebhookSender>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<UndeliveredSms>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<Tasks.TaskStore>();
        services.AddSingleton<Approvals.ApprovalStore>();
        services.AddSingleton<Tasks.TaskInbox>();
        services.AddSingleton<Tasks.ITaskOptions, Service.CatalogTaskOptions>();
        services.AddSingleton<Service.DealershipRecords>();
        services.AddSingleton<Service.ReminderSteps>();
        services.AddSingleton<Tasks.TaskService>();
        services.AddSingleton<Approvals.ApprovalService>();
        services.AddSingleton<Tasks.StrandedDecisions>();
        services.AddSingleton<Workflows.Management.IDefinitionRule, NoScoreCoaching>();

        var twilio = configuration.GetSection(TwilioOptions.SectionName).Get<TwilioOptions>() ?? new TwilioOptions();
        var sms = configuration.GetSection(SmsOptions.SectionName).Get<SmsOptions>() ?? new SmsOptions();
        if (sms.UsesTemplates)
        {
            // Alibaba's requests carry the number and the template's values in the query, which the client's request log leaves out (as * since .NET 9).
            services.AddHttpClient(TemplateSmsSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
            if (sms.Provider == SmsProviders.Aliyun)
                services.AddSingleton<IMessageSender, AliyunSmsSender>();
            else
                services.AddSingleton<IMessageSender, TencentSmsSender>();
        }
        else if (twilio.Configured)
        {
            var http = services.AddHttpClient(TwilioHttpClient);
            if (twilio.ApiBaseUrlOverride is { Length: > 0 } target)
                http.AddHttpMessageHandler(() => new RewriteHostHandler(new Uri(target)));
            services.AddSingleton<ITwilioRestClient>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<TwilioOptions>>().Value;
                var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient(TwilioHttpClient);
                return new TwilioRestClient(options.AccountSid, options.AuthToken, httpClient: new Twilio.Http.SystemNetHttpClient(client));
            });
            services.AddSingleton<IMessageSender, TwilioSmsSender>();
        }
        else
        {
            services.AddSingleton<IMessageSender>(new LocalOutboxSender(Channels.Sms));
        }
        var smtp = configuration.GetSection(SmtpOptions.SectionName).Get<SmtpOptions>() ?? new SmtpOptions();
        services.AddSingleton<IMessageSender>(smtp.Configured ? sp => ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp) : _ => new LocalOutboxSender(Channels.Email));
        return services;
    }
}
