// Accounts on a hosted site (issue 8), on a phone-sized screen, with JavaScript on and off:
// make an account with a password, log a cramp, see it in the diary, sign out, and find the
// diary closed until signing in again. A second person sees none of it. axe on every new page.
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./helpers');

const base = `http://127.0.0.1:${process.env.E2E_ACCOUNTS_PORT || '8798'}`;
const PASSWORD = 'correct kettle ladder orbit';

test.use({ viewport: { width: 375, height: 800 } });

async function signUp(page, username) {
  await page.goto(`${base}/account/sign-up`);
  await page.getByLabel('Choose a username').fill(username);
  await page.getByLabel('Choose a password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Make my account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Keep your recovery codes safe');
  await expect(page.locator('main code')).toHaveCount(10);
  await expectAccessible(page, 'recovery codes');
  await page.screenshot({ path: test.info().outputPath(`codes-${username}-375.png`), fullPage: true });
  await page.getByRole('link', { name: 'I have kept them: go to my diary' }).click();
  await expect(page).toHaveURL(`${base}/diary`);
}

test('make an account, log a cramp, sign out and back in', async ({ page }, info) => {
  const me = `marion-${info.project.name}`;
  await page.goto(`${base}/diary`);
  await expect(page).toHaveURL(`${base}/account/sign-in`);
  await expectAccessible(page, 'sign in');
  await page.screenshot({ path: info.outputPath('sign-in-375.png'), fullPage: true });

  await page.goto(`${base}/account/sign-up`);
  await expectAccessible(page, 'sign up');
  // A weak password is refused with a specific message, kept in the NHS.UK error pattern.
  await page.getByLabel('Choose a username').fill(me);
  await page.getByLabel('Choose a password').fill('password1');
  await page.getByRole('button', { name: 'Make my account' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('harder to guess');
  await expect(page.getByLabel('Choose a username')).toHaveValue(me);
  await expectAccessible(page, 'sign up with an error');
  await page.screenshot({ path: info.outputPath('sign-up-error-375.png'), fullPage: true });

  await signUp(page, me);
  await page.goto(`${base}/diary/new`);
  await page.getByLabel('Day').fill('20');
  await page.getByLabel('Month').fill('11');
  await page.getByLabel('Year').fill('2026');
  await page.getByLabel('Time it started').fill('02:10');
  await page.getByLabel('How long did it last?').fill('3');
  await page.getByRole('group', { name: 'Which muscle?' }).getByLabel('Calf', { exact: true }).check();
  await page.getByRole('group', { name: 'Which leg?' }).getByLabel('Left', { exact: true }).check();
  await page.getByRole('group', { name: 'Were you asleep or awake?' }).getByLabel('Asleep').check();
  await page.getByRole('group', { name: 'Did it ease when you moved?' }).getByLabel('Yes', { exact: true }).check();
  await page.getByRole('group', { name: 'How bad was it?' }).getByLabel('Mild', { exact: true }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('main')).toContainText('Fri 20 Nov 2026, 02:10');

  // (At 375 px with JavaScript the header folds this link into its "More" menu.)
  await page.goto(`${base}/account`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
  await expectAccessible(page, 'account page');
  await page.screenshot({ path: info.outputPath('account-375.png'), fullPage: true });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`${base}/diary`);
  await expect(page).toHaveURL(`${base}/account/sign-in`);

  // Someone else signs up in the same browser: an empty diary.
  await signUp(page, `someone-${info.project.name}`);
  await expect(page.locator('main')).not.toContainText('Fri 20 Nov 2026, 02:10');
  await page.goto(`${base}/account`);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.goto(`${base}/account/sign-in`);
  await page.getByLabel('Username').fill(me.toUpperCase());
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${base}/diary`);
  await expect(page.locator('main')).toContainText('Fri 20 Nov 2026, 02:10');
});
