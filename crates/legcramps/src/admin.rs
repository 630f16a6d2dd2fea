//! `legcramps admin`: what the operator of a hosted diary may do from the server's own shell —
//! read security events, count accounts, disable, enable or delete one, or turn off the second
//! step of a person who lost it. There is no command
//! (and no page) that shows anyone's diary.

use std::process::ExitCode;

use anyhow::Result;
use legcramps_accounts::Username;

use crate::bad;
use crate::cli::{AdminAccountsCommand, AdminCommand};
use crate::diary::runtime;

/// The server's own database: `--server` and `--token` name a hosted diary, which `admin`
/// never reaches (it would otherwise quietly work on this computer's diary instead).
async fn open(args: &crate::cli::Store) -> Result<legcramps_store::Store> {
    crate::remote::local_only(args, "admin")?;
    crate::diary::open(args).await
}

pub(crate) fn run(command: &AdminCommand) -> Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async {
        match command {
            AdminCommand::Events(args) => {
                let store = open(&args.store).await?;
                let account = match &args.account {
                    Some(name) => Some(account_id(&store, name).await?),
                    None => None,
                };
                let events = store.events(account.as_ref(), args.limit).await?;
                let mut names = std::collections::HashMap::new();
                println!(
                    "{:<20}  {:<16}  {:<24}  address (keyed hash)",
                    "time (UTC)", "event", "account"
                );
                for e in &events {
                    let who = match &e.account_id {
                        None => "-".to_owned(),
                        Some(id) => {
                            if !names.contains_key(id) {
                                let name = store
                                    .account_by_id(id)
                                    .await?
                                    .map_or_else(|| "(deleted)".to_owned(), |a| a.username);
                                names.insert(id.clone(), name);
                            }
                            names[id].clone()
                        }
                    };
                    let when = chrono::DateTime::from_timestamp(e.at_utc, 0).map_or_else(
                        || e.at_utc.to_string(),
                        |t| t.format("%Y-%m-%d %H:%M:%S").to_string(),
                    );
                    println!("{when:<20}  {:<16}  {who:<24}  {}", e.kind, e.ip_hash);
                }
                if events.is_empty() {
                    println!("(no events)");
                }
                store.close().await;
            }
            AdminCommand::Accounts(AdminAccountsCommand::Count(args)) => {
                let store = open(&args.store).await?;
                let (all, disabled) = store.count_accounts().await?;
                println!("{all} account(s), {disabled} disabled");
                store.close().await;
            }
            AdminCommand::Accounts(
                AdminAccountsCommand::Disable(args) | AdminAccountsCommand::Enable(args),
            ) => {
                let disable = matches!(
                    command,
                    AdminCommand::Accounts(AdminAccountsCommand::Disable(_))
                );
                let store = open(&args.store).await?;
                let id = account_id(&store, &args.username).await?;
                store.set_disabled(&id, disable).await?;
                store
                    .record_event(
                        Some(&id),
                        if disable {
                            legcramps_store::EventKind::DisabledByOperator
                        } else {
                            legcramps_store::EventKind::EnabledByOperator
                        },
                        "operator",
                    )
                    .await?;
                println!(
                    "{} {}{}",
                    if disable { "Disabled" } else { "Enabled" },
                    args.username,
                    if disable {
                        "; every session of it has ended"
                    } else {
                        ""
                    }
                );
                store.close().await;
            }
            AdminCommand::Accounts(AdminAccountsCommand::ResetSecondStep(args)) => {
                let store = open(&args.store).await?;
                let id = account_id(&store, &args.username).await?;
                let (app, passkeys) = store.reset_second_step(&id).await?;
                store
                    .record_event(
                        Some(&id),
                        legcramps_store::EventKind::SecondStepResetByOperator,
                        "operator",
                    )
                    .await?;
                println!(
                    "Turned off the second step of {}: {} authenticator app, {passkeys} passkey(s) removed; every session and token ended. They can now recover the account with a recovery code",
                    args.username,
                    if app { "its" } else { "no" },
                );
                store.close().await;
            }
            AdminCommand::Accounts(AdminAccountsCommand::Delete(args)) => {
                let store = open(&args.store).await?;
                let id = account_id(&store, &args.username).await?;
                let n = store.delete_account(&id, "operator").await?;
                println!("Deleted {} and everything of it ({n} rows)", args.username);
                store.close().await;
            }
        }
        anyhow::Ok(ExitCode::SUCCESS)
    })
}

/// The id of the account with this username (normalised as at sign-in), or exit 2.
async fn account_id(
    store: &legcramps_store::Store,
    typed: &str,
) -> Result<legcramps_store::AccountId> {
    let name = Username::parse(typed).map_err(|e| bad(format!("{typed}: {e}")))?;
    store
        .account_by_username(name.as_str())
        .await?
        .map(|a| a.id)
        .ok_or_else(|| bad(format!("there is no account called {}", name.as_str())))
}
