using Microsoft.AspNetCore.Identity;

namespace FleetDashboard.Web.Data;

/// <summary>Keeps <see cref="FleetUser.DisplayName"/> required on every create and update through UserManager.</summary>
internal sealed class FleetUserValidator : IUserValidator<FleetUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<FleetUser> manager, FleetUser user)
    {
        if (string.IsNullOrWhiteSpace(user.DisplayName))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "DisplayNameRequired",
                Description = "A display name is required.",
            }));
        }

        if (user.DisplayName.Length > FleetUser.DisplayNameMaxLength)
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "DisplayNameTooLong",
                Description = $"A display name has at most {FleetUser.DisplayNameMaxLength} characters.",
            }));
        }

        return Task.FromResult(IdentityResult.Success);
    }
}
