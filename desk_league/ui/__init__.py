"""The Qt shell: windows, tabs, dialogs. It calls services; it never builds SQL or writes files."""
