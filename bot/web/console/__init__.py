"""The browser console at /console for lawyers and union staff, served by the gateway's web app
next to the web chat. HTTP only: the rules (accounts, roles, who sees what) are in
desk/staff/accounts.py, and every action is a core call the Telegram commands or the CLI make
too."""
