"""首次使用设置: a short setup for a new office — its name, its organisations, then members and
volunteers (import now or later). Offered once on a database with no organisations; it can be
skipped (以后再说) and reopened from 工具 → 首次使用设置…. Every step saves through the
operations layer as it goes, so what is done stays done whichever way the clerk leaves.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desk_league.domain.codes import OrgKind
from desk_league.services import store
from desk_league.services.first_start import (
    finish_first_start,
    office_counts,
    save_office_names,
)
from desk_league.services.organisations import (
    OrganisationInput,
    create_organisation,
    organisation_tree,
)
from desk_league.services.settings import get_setting
from desk_league.ui.forms import choice_combo
from desk_league.ui.operations import Changed, change, read


class FirstStartWizard(QWizard):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_start")
        self.setWindowTitle("首次使用设置")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "以后再说")
        self.office_page = OfficePage()
        self.organisations_page = OrganisationsPage()
        self.people_page = PeoplePage()
        for page in (self.office_page, self.organisations_page, self.people_page):
            self.addPage(page)
        self.finished.connect(lambda _result: self._done())
        self.resize(720, 560)

    def _done(self) -> None:
        """Finished or skipped: not offered again (工具 → 首次使用设置… reopens it)."""
        if store.attached():  # not when the window closes the database first
            change(None, finish_first_start, Changed.SETTINGS, action="首次使用设置").run()


class OfficePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("第 1 步：本单位")
        self.setSubTitle("单位名称印在每张登记表的“填报单位”和证书、证明的落款处。")
        name, short = read(
            lambda s: (get_setting(s, "office_name"), get_setting(s, "office_short_name"))
        )
        self.name = QLineEdit(name, objectName="setup_office_name")
        self.short_name = QLineEdit(short, objectName="setup_office_short_name")
        self.short_name.setPlaceholderText("用于工作计划标题，如“市直卫生系统团委”")
        form = QFormLayout(self)
        form.addRow("单位名称", self.name)
        form.addRow("单位简称", self.short_name)
        form.addRow(
            "",
            QLabel("以后可在“工具 → 单位与编号设置”中修改，那里还有填表人、审核人和编号格式。"),
        )

    def validatePage(self) -> bool:
        name, short = self.name.text(), self.short_name.text()
        saved: list[None] = []
        change(
            self, lambda s: save_office_names(s, name, short), Changed.SETTINGS, action="保存"
        ).success(saved.append).run()
        return bool(saved)


class OrganisationsPage(QWizardPage):
    """The organisation tree: typed one by one, or imported from an Excel list."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("第 2 步：团组织")
        self.setSubTitle("先建本团委，再建各单位的团委、团总支、团支部。")
        hint = QLabel(
            "输入名称、选类别和上级组织后点“添加”。已有 Excel 名单（名称、类别、上级组织）的，"
            "可直接导入；以后也可在“团组织”页修改。",
            wordWrap=True,
        )
        self.tree = QTreeWidget(objectName="setup_tree")
        self.tree.setHeaderLabels(["团组织", "类别"])
        self.tree.setColumnWidth(0, 360)
        self.name = QLineEdit(objectName="setup_org_name", placeholderText="如：市人民医院团委")
        self.kind = choice_combo(list(OrgKind.labels().items()), name="setup_org_kind")
        self.parent_combo = choice_combo([], none_text="（无，本团委）", name="setup_org_parent")
        add = QPushButton("添加", objectName="setup_add_org")
        add.clicked.connect(self.add_organisation)
        self.name.returnPressed.connect(self.add_organisation)
        row = QHBoxLayout()
        row.addWidget(self.name, 2)
        row.addWidget(self.kind)
        row.addWidget(QLabel("上级"))
        row.addWidget(self.parent_combo, 2)
        row.addWidget(add)
        import_button = QPushButton("从 Excel 导入团组织名单…", objectName="setup_import_orgs")
        import_button.clicked.connect(lambda: self.wizard_import("organisations"))
        template = QPushButton("下载导入模板…", objectName="setup_org_template")
        template.clicked.connect(lambda: _save_template(self, "organisations"))
        buttons = QHBoxLayout()
        buttons.addWidget(import_button)
        buttons.addWidget(template)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        self.reload()

    def reload(self) -> None:
        nodes = read(lambda s: organisation_tree(s, date.today()))
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for node in nodes:
            item = QTreeWidgetItem([node.values["name"], node.values["kind"]])
            parent = items.get(node.parent_id) if node.parent_id else None
            if parent is not None:
                parent.addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            items[node.id] = item
        self.tree.expandAll()
        current = self.parent_combo.currentData()
        self.parent_combo.clear()
        self.parent_combo.addItem("（无，本团委）", None)
        for node in nodes:
            self.parent_combo.addItem(node.values["name"], node.id)
        newest = nodes[-1].id if nodes and current is None else current
        self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(newest)))
        if not nodes:
            self.kind.setCurrentIndex(self.kind.findData(OrgKind.COUNCIL))
        elif self.kind.currentData() == OrgKind.COUNCIL and nodes:
            self.kind.setCurrentIndex(self.kind.findData(OrgKind.BRANCH))

    def add_organisation(self) -> None:
        data = OrganisationInput(
            name=self.name.text(),
            kind=self.kind.currentData(),
            parent_id=self.parent_combo.currentData(),
        )

        def added(_org_id) -> None:
            self.name.clear()
            self.reload()

        change(
            self,
            lambda s: create_organisation(s, data).id,
            Changed.ORGANISATIONS,
            action="添加团组织",
        ).success(added).run()

    def wizard_import(self, kind: str) -> None:
        from desk_league.ui.import_wizard import ImportWizard

        ImportWizard(self, kind=kind).exec()
        self.reload()


class PeoplePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("第 3 步：团员和志愿者")
        self.setSubTitle("有 Excel 名册的，现在就可以导入；也可以以后再导入或逐个登记。")
        self.counts = QLabel(objectName="setup_counts")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "同一个人既是团员又是志愿者时只登记一次（按身份证号），两个名册都会显示。"
                "以后在“团员”“志愿者”页同样可以导入、下载模板或逐个登记。",
                wordWrap=True,
            )
        )
        for kind, text in (("members", "团员名册"), ("volunteers", "志愿者名册")):
            row = QHBoxLayout()
            button = QPushButton(f"导入{text}…", objectName=f"setup_import_{kind}")
            button.clicked.connect(lambda _=False, k=kind: self.wizard_import(k))
            template = QPushButton(f"下载{text}模板…", objectName=f"setup_template_{kind}")
            template.clicked.connect(lambda _=False, k=kind: _save_template(self, k))
            row.addWidget(button)
            row.addWidget(template)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(self.counts)
        layout.addWidget(
            QLabel(
                "导入时，名册中“所在团组织”一列应与上一步的团组织名称一致；没有的可选择导入时新建。",
                wordWrap=True,
            )
        )
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.show_counts()

    def show_counts(self) -> None:
        self.counts.setText(str(read(office_counts)))

    def wizard_import(self, kind: str) -> None:
        from desk_league.ui.import_wizard import ImportWizard

        ImportWizard(self, kind=kind).exec()
        self.show_counts()


def _save_template(parent: QWidget, kind: str) -> None:
    from desk_league.ui.import_wizard import save_template

    save_template(parent, kind)
