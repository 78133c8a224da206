using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Followup.Workflows.Configuration;

public static class CheckedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to a configuration section and checks it when the host starts.</summary>
    public static OptionsBuilder<T> AddCheckedOptions<T>(this IServiceCollection services, string section) where T : class, ICheckedOptions
    {
        services.AddSingleton<IValidateOptions<T>>(new Check<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class Check<T>(string section) : IValidateOptions<T> where T : class, ICheckedOptions
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Problems().Select(p => $"{section}:{p}").ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }

    /// <summary>An absolute http or https address.</summary>
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
